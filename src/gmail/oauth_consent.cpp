#include "gmail/oauth_consent.hpp"

#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

namespace gc::gmail {
namespace {

constexpr std::size_t max_open_states = 1000;

api_error consent_error(error_kind kind, std::string reason, std::string message) {
  api_error e;
  e.kind = kind;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

std::string strip_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// Which mailbox the fresh access token belongs to: GET /gmail/v1/users/me/profile.
void whose_mailbox(net::http_client& http, const std::string& api_base, const std::string& access_token,
                   std::function<void(outcome<std::string>)> done) {
  net::http_request req;
  req.url = strip_slash(api_base) + "/gmail/v1/users/me/profile";
  req.headers["Authorization"] = "Bearer " + access_token;
  req.headers["Accept"] = "application/json";
  http.request(std::move(req), [done = std::move(done)](gc::result<net::http_response> r) {
    if (!r) return done(from_net_error(r.error()));
    if (r->status != 200) return done(classify(r->status, r->body, false));
    auto j = json::parse(r->body, nullptr, false);
    if (!j.is_object() || !j.contains("emailAddress") || !j["emailAddress"].is_string())
      return done(bad_response("getProfile answered without emailAddress"));
    done(j["emailAddress"].get<std::string>());
  });
}

} // namespace

std::string consent_url(const oauth_client_config& c, const scope_set& scopes, const std::string& state,
                        const std::string& login_hint, const std::string& code_challenge) {
  std::vector<std::pair<std::string, std::string>> q{{"client_id", c.client_id},
                                                     {"redirect_uri", c.redirect_uri},
                                                     {"response_type", "code"},
                                                     {"scope", join_scopes(scopes)},
                                                     {"access_type", "offline"},
                                                     {"prompt", "consent"},
                                                     {"include_granted_scopes", "true"},
                                                     {"state", state}};
  if (!login_hint.empty()) q.emplace_back("login_hint", login_hint);
  if (!code_challenge.empty()) {
    q.emplace_back("code_challenge", code_challenge);
    q.emplace_back("code_challenge_method", "S256");
  }
  std::string url = c.auth_endpoint;
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : q) {
    url += sep;
    url += core::url_encode(k) + "=" + core::url_encode(v);
    sep = '&';
  }
  return url;
}

oauth_consent::oauth_consent(std::shared_ptr<oauth_auth> auth, std::string api_base, clock_fn clock,
                             std::chrono::seconds state_ttl)
    : auth_{std::move(auth)},
      api_base_{std::move(api_base)},
      clock_{clock ? std::move(clock) : clock_fn{[] { return std::chrono::system_clock::now(); }}},
      ttl_{state_ttl} {}

void oauth_consent::prune(std::chrono::system_clock::time_point now) {
  for (auto it = states_.begin(); it != states_.end();) it = it->second.expires_at <= now ? states_.erase(it) : std::next(it);
  while (states_.size() >= max_open_states) {           // a flood of starts: drop the oldest
    auto oldest = states_.begin();
    for (auto it = states_.begin(); it != states_.end(); ++it)
      if (it->second.expires_at < oldest->second.expires_at) oldest = it;
    states_.erase(oldest);
  }
}

oauth_consent::started oauth_consent::start(int64_t admin_user_id, const std::string& login_hint,
                                            const scope_set& scopes) {
  auto now = clock_();
  started s;
  s.state = core::random_token();
  s.expires_at = now + ttl_;
  auto verifier = core::random_token();                  // 43 chars of [A-Za-z0-9_-]: RFC 7636
  auto challenge = core::base64url_encode(core::sha256(verifier));
  s.url = consent_url(auth_->client(), scopes, s.state, login_hint, challenge);
  std::lock_guard lock{mu_};
  prune(now);
  states_[s.state] = pending{admin_user_id, std::move(verifier), scopes, s.expires_at};
  return s;
}

std::size_t oauth_consent::open_states() const {
  std::lock_guard lock{mu_};
  return states_.size();
}

void oauth_consent::finish(const std::string& state, const std::string& code,
                           std::function<void(outcome<enrolled>)> done) {
  std::optional<pending> p;
  {
    std::lock_guard lock{mu_};
    auto it = states_.find(state);
    if (it != states_.end()) {                           // single use, even when expired
      if (it->second.expires_at > clock_()) p = std::move(it->second);
      states_.erase(it);
    }
  }
  if (!p)
    return done(consent_error(error_kind::permanent, "bad_state",
                              "the consent link is unknown, already used or older than 10 minutes"));
  if (code.empty())
    return done(consent_error(error_kind::permanent, "no_code", "Google's redirect carried no authorization code"));
  auto auth = auth_;
  auto api_base = api_base_;
  auto wanted = p->scopes;
  auto admin = p->admin_user_id;
  auth->exchange_code(code, p->code_verifier, [auth, api_base, wanted, admin, done](outcome<token_grant> g) {
    if (!g) return done(std::move(g).error());
    auto granted = g->scope.empty() ? wanted : split_scopes(g->scope);
    if (!granted.count(scopes::readonly) && !granted.count("https://mail.google.com/"))
      return done(consent_error(error_kind::permanent, "scope_not_granted",
                                "the consent did not grant read access to Gmail (gmail.readonly)"));
    if (!g->refresh_token)
      return done(consent_error(error_kind::permanent, "no_refresh_token",
                                "Google returned no refresh token (offline access was not granted)"));
    auto grant = std::move(*g);
    whose_mailbox(auth->http(), api_base, grant.access_token,
                  [auth, grant, granted, wanted, admin, done](outcome<std::string> mb) {
                    if (!mb) return done(std::move(mb).error());
                    auto mailbox = *mb;
                    auth->enrol(mailbox, grant, wanted, [mailbox, granted, admin, done](gc::status s) {
                      if (!s) {
                        gc::log::error("oauth: storing the refresh token of {} failed: {}", mailbox,
                                       s.error().message);
                        auto e = consent_error(error_kind::retryable, "store",
                                               "the refresh token could not be stored");
                        e.context = "mailbox " + mailbox;
                        return done(std::move(e));
                      }
                      gc::log::info("oauth: mailbox {} enrolled by consent ({})", mailbox, short_scopes(granted));
                      done(enrolled{mailbox, granted, admin});
                    });
                  });
  });
}

} // namespace gc::gmail

#include "sim/token_endpoint.hpp"

#include "core/encoding.hpp"
#include "core/log.hpp"
#include "sim/endpoint_errors.hpp"
#include "sim/error_catalog.hpp"
#include "sim/workspace.hpp"

#include <algorithm>
#include <cctype>

// Error texts. Quoted from gmail-api.md §1.1 unless marked (choice):
//   bad/garbled signature, unverifiable JWT, kid mismatch -> 400 invalid_grant "Invalid JWT Signature."
//   unknown iss (a valid email)  -> 400 invalid_grant "Invalid grant: account not found" (Google's
//                                   answer for deleted service accounts, google-auth issues)
//   iss or sub not an email      -> 400 invalid_grant "Not a valid email."
//   wrong aud                    -> 400 invalid_grant "Invalid JWT: Failed audience check."
//   iat/exp out of range         -> 400 invalid_grant "Invalid JWT: Token must be a short-lived ..."
//   sub outside the domain, or a scope outside the DWD list -> 401 unauthorized_client
//   sub in the domain but no such mailbox -> 400 invalid_grant "Invalid email or User ID"
//   no scope claim               -> 400 invalid_scope (choice)
//   missing assertion            -> 400 invalid_request "Missing required parameter: assertion" (choice)
//   unknown grant_type           -> 400 unsupported_grant_type "Invalid grant_type: <x>"
//   injected fault               -> 500 internal_failure (google-auth retries it)
//   scripted catalog error       -> that entry (POST /__sim/faults/next, token_* entries)

namespace gc::sim {
namespace {

constexpr const char* short_lived_text =
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values and use a clock with skew to account for clock differences "
    "between systems.";
constexpr const char* unauthorized_client_text =
    "Client is unauthorized to retrieve access tokens using this method, or client not authorized "
    "for any of the scopes requested.";
constexpr const char* jwt_bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr int64_t skew_s = 60;
constexpr int64_t max_lifetime_s = 3600;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool valid_email(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string::npos)
    return false;
  auto domain = s.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') return false;
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  return true;
}

std::optional<int64_t> int_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) return static_cast<int64_t>(it->get<double>());
  return std::nullopt;
}

// Like core::jwt_decode, but also takes padded base64url segments: google-auth 1.x pads them,
// and Google accepts that. signing_input stays the bytes as received.
std::optional<core::jwt_parts> decode_assertion(const std::string& a) {
  if (auto strict = core::jwt_decode(a)) return std::move(*strict);
  auto d1 = a.find('.');
  auto d2 = d1 == std::string::npos ? d1 : a.find('.', d1 + 1);
  if (d2 == std::string::npos || a.find('.', d2 + 1) != std::string::npos) return std::nullopt;
  auto h = core::base64_decode(a.substr(0, d1));
  auto c = core::base64_decode(a.substr(d1 + 1, d2 - d1 - 1));
  auto sig = core::base64_decode(a.substr(d2 + 1));
  if (!h || !c || !sig) return std::nullopt;
  core::jwt_parts p;
  p.header = json::parse(*h, nullptr, false);
  p.claims = json::parse(*c, nullptr, false);
  if (!p.header.is_object() || !p.claims.is_object()) return std::nullopt;
  p.signing_input = a.substr(0, d2);
  p.signature = std::move(*sig);
  return p;
}

std::string str_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

} // namespace

token_endpoint::token_endpoint(token_store& tokens, const workspace& ws, fault_injector& faults,
                               const sim_clock& clock)
    : tokens_(tokens), ws_(ws), faults_(faults), clock_(clock) {}

void token_endpoint::set_token_uri(std::string uri) {
  std::lock_guard lock{mu_};
  token_uri_ = std::move(uri);
}

std::string token_endpoint::token_uri() const {
  std::lock_guard lock{mu_};
  return token_uri_;
}

void token_endpoint::add_service_account(service_account sa) {
  std::lock_guard lock{mu_};
  accounts_.push_back(std::move(sa));
}

std::optional<service_account> token_endpoint::find_service_account(const std::string& email) const {
  std::lock_guard lock{mu_};
  for (const auto& a : accounts_)
    if (lower(a.client_email) == lower(email)) return a;
  return std::nullopt;
}

void token_endpoint::set_dwd_scopes(const std::string& client_email, std::vector<std::string> scopes) {
  std::lock_guard lock{mu_};
  for (auto& a : accounts_)
    if (lower(a.client_email) == lower(client_email)) a.dwd_scopes = scopes;
}

void token_endpoint::set_oauth_client(oauth_client c) {
  std::lock_guard lock{mu_};
  client_ = std::move(c);
}

oauth_client token_endpoint::get_oauth_client() const {
  std::lock_guard lock{mu_};
  return client_;
}

void token_endpoint::install(http::router& r) {
  using http::access;
  r.post("/token", access::open, [this](http::request_ctx ctx, http::reply_fn reply) { reply(token(ctx)); });
  r.post("/oauth2/v4/token", access::open,
         [this](http::request_ctx ctx, http::reply_fn reply) { reply(token(ctx)); });
  for (const char* p : {"/o/oauth2/v2/auth", "/o/oauth2/auth"})
    r.get(p, access::open, [this](http::request_ctx ctx, http::reply_fn reply) { reply(authorize(ctx)); });
  r.post("/revoke", access::open, [this](http::request_ctx ctx, http::reply_fn reply) { reply(revoke(ctx)); });
}

token_endpoint::form_t token_endpoint::parse_form(const http::request_ctx& ctx) {
  form_t out;
  const auto& body = ctx.req.body();
  auto ct = lower(std::string{ctx.req[http::bhttp::field::content_type]});
  if (ct.rfind("application/json", 0) == 0) {
    auto j = json::parse(body, nullptr, false);
    if (j.is_object())
      for (auto& [k, v] : j.items()) out.emplace(k, v.is_string() ? v.get<std::string>() : v.dump());
    return out;
  }
  std::string path;
  if (!http::split_target("/?" + body, path, out)) out.clear();
  for (const auto& [k, v] : ctx.query) out.emplace(k, v);   // Google accepts query params too
  return out;
}

std::string token_endpoint::field(const form_t& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? std::string{} : it->second;
}

void token_endpoint::count(const std::string& key) {
  std::lock_guard lock{mu_};
  ++counters_[key];
}

http::response_t token_endpoint::refuse(unsigned status, const std::string& code, const std::string& text) {
  count("refused." + code);
  return oauth_error(status, code, text);
}

std::string token_endpoint::mailbox_for(const std::string& email) const {
  for (const auto& m : ws_.mailboxes())
    if (lower(m) == lower(email)) return m;
  return {};
}

http::response_t token_endpoint::token(const http::request_ctx& ctx) {
  if (faults_.roll_token_failure()) return refuse(500, "internal_failure", "");
  auto form = parse_form(ctx);
  auto grant = field(form, "grant_type");
  // Scripted errors match the mailbox the grant is for: the JWT's sub or the refresh token's.
  std::string subject;
  if (auto jwt = grant == jwt_bearer ? decode_assertion(field(form, "assertion")) : std::nullopt)
    subject = str_claim(jwt->claims, "sub");
  else if (auto r = grant == "refresh_token" ? tokens_.find_refresh(field(form, "refresh_token")) : std::nullopt)
    subject = r->subject;
  if (auto s = faults_.take_scripted(script_target::token, subject))
    if (const auto* e = find_catalog_entry(s->error)) {
      count("refused.scripted");
      return catalog_response(*e, {subject, s->retry_at});
    }
  if (grant == jwt_bearer) return jwt_grant(form, ctx);
  if (grant == "authorization_code") return code_grant(form, ctx);
  if (grant == "refresh_token") return refresh_grant(form, ctx);
  if (grant.empty()) return refuse(400, "invalid_request", "Missing required parameter: grant_type");
  return refuse(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
}

http::response_t token_endpoint::jwt_grant(const form_t& f, const http::request_ctx& ctx) {
  auto assertion = field(f, "assertion");
  if (assertion.empty()) return refuse(400, "invalid_request", "Missing required parameter: assertion");
  auto jwt = decode_assertion(assertion);
  if (!jwt) return refuse(400, "invalid_grant", "Invalid JWT Signature.");
  const json& claims = jwt->claims;

  auto iss = str_claim(claims, "iss");
  if (!valid_email(iss)) return refuse(400, "invalid_grant", "Not a valid email.");
  auto sa = find_service_account(iss);
  if (!sa) return refuse(400, "invalid_grant", "Invalid grant: account not found");
  auto kid = jwt->header.find("kid");
  if (kid != jwt->header.end() && (!kid->is_string() || kid->get<std::string>() != sa->private_key_id))
    return refuse(400, "invalid_grant", "Invalid JWT Signature.");
  if (!core::jwt_verify_rs256(*jwt, sa->public_key))
    return refuse(400, "invalid_grant", "Invalid JWT Signature.");

  // aud: our own token URI (as configured or as reached through Host), or Google's.
  auto aud = str_claim(claims, "aud");
  std::string scheme = token_uri().rfind("https://", 0) == 0 ? "https://" : "http://";
  std::vector<std::string> audiences = {token_uri(), "https://oauth2.googleapis.com/token",
                                        "https://www.googleapis.com/oauth2/v4/token"};
  if (auto host = ctx.req[http::bhttp::field::host]; !host.empty())
    audiences.push_back(scheme + std::string{host} + "/token");
  if (aud.empty() || std::find(audiences.begin(), audiences.end(), aud) == audiences.end())
    return refuse(400, "invalid_grant", "Invalid JWT: Failed audience check.");

  auto iat = int_claim(claims, "iat");
  auto exp = int_claim(claims, "exp");
  const int64_t now = clock_.now_seconds();
  if (!iat || !exp || *exp <= *iat || *exp - *iat > max_lifetime_s || *iat > now + skew_s ||
      *exp < now - skew_s)
    return refuse(400, "invalid_grant", short_lived_text);

  auto scope_claim = str_claim(claims, "scope");
  auto scopes = split_scopes(scope_claim);
  if (scopes.empty())
    return refuse(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");

  std::string subject;
  if (claims.contains("sub")) {
    auto sub = str_claim(claims, "sub");
    if (!valid_email(sub)) return refuse(400, "invalid_grant", "Not a valid email.");
    auto domain = lower(sub.substr(sub.find('@') + 1));
    if (domain != lower(ws_.domain())) return refuse(401, "unauthorized_client", unauthorized_client_text);
    subject = mailbox_for(sub);
    if (subject.empty()) return refuse(400, "invalid_grant", "Invalid email or User ID");
    for (const auto& s : scopes)
      if (std::find(sa->dwd_scopes.begin(), sa->dwd_scopes.end(), s) == sa->dwd_scopes.end())
        return refuse(401, "unauthorized_client", unauthorized_client_text);
  }

  auto token = tokens_.issue_access(subject, scopes, sa->client_id);
  count("granted.jwt_bearer");
  return google_json(200, {{"access_token", token},
                           {"expires_in", tokens_.ttl().count()},
                           {"token_type", "Bearer"}});
}

json token_endpoint::stats() const {
  std::lock_guard lock{mu_};
  return json(counters_);
}

} // namespace gc::sim

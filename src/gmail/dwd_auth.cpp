#include "gmail/dwd_auth.hpp"

#include "core/json.hpp"
#include "core/log.hpp"
#include "gmail/token_request.hpp"

#include <fstream>
#include <sstream>

namespace gc::gmail {
namespace {

constexpr const char* jwt_bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr auto jwt_lifetime = std::chrono::seconds(3600);   // google-auth _DEFAULT_TOKEN_LIFETIME_SECS

std::string field(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

} // namespace

gc::result<service_account_key> parse_service_account_key(std::string_view json_text) {
  auto j = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (!j.is_object()) return gc::error{"bad_key", "the service-account key file is not a JSON object"};
  if (auto type = field(j, "type"); !type.empty() && type != "service_account")
    return gc::error{"bad_key", "the key file is of type '" + type + "', not 'service_account'"};
  for (const char* name : {"client_email", "private_key"})
    if (field(j, name).empty())
      return gc::error{"bad_key", std::string{"the service-account key file has no '"} + name + "'"};
  auto key = core::rsa_private_key::from_pem(field(j, "private_key"));
  if (!key) return gc::error{"bad_key", "the service-account key file's private_key is not a usable RSA key"};
  auto uri = field(j, "token_uri");
  return service_account_key{field(j, "client_email"), field(j, "client_id"), field(j, "private_key_id"),
                             uri.empty() ? google_token_uri : uri, field(j, "project_id"), std::move(*key)};
}

gc::result<service_account_key> load_service_account_key(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) return gc::error{"io", "cannot read the service-account key file " + path};
  std::ostringstream text;
  text << in.rdbuf();
  auto k = parse_service_account_key(text.str());
  if (!k) return gc::error{k.error().code, path + ": " + k.error().message};
  return k;
}

dwd_auth::dwd_auth(net::http_client& http, service_account_key key, dwd_options opts)
    : http_{http},
      key_{std::move(key)},
      opts_{std::move(opts)},
      token_uri_{!opts_.token_uri.empty() && opts_.token_uri != google_token_uri ? opts_.token_uri : key_.token_uri},
      cache_{opts_.clock, opts_.refresh_margin} {
  if (!opts_.clock) opts_.clock = [] { return std::chrono::system_clock::now(); };
}

gc::result<std::shared_ptr<dwd_auth>> dwd_auth::from_file(net::http_client& http, const std::string& key_path,
                                                          dwd_options opts) {
  auto key = load_service_account_key(key_path);
  if (!key) return key.error();
  return std::make_shared<dwd_auth>(http, std::move(*key), std::move(opts));
}

std::string dwd_auth::assertion(const std::string& mailbox, const scope_set& scopes,
                                std::chrono::system_clock::time_point iat) const {
  json header{{"typ", "JWT"}, {"alg", "RS256"}};
  if (!key_.private_key_id.empty()) header["kid"] = key_.private_key_id;
  auto t = epoch_seconds(iat);
  json claims{{"iss", key_.client_email},
              {"scope", join_scopes(scopes)},
              {"aud", token_uri_},
              {"iat", t},
              {"exp", t + jwt_lifetime.count()}};
  if (!mailbox.empty()) claims["sub"] = mailbox;
  return core::jwt_encode_rs256(header, claims, key_.key);
}

void dwd_auth::token(const std::string& mailbox, const scope_set& scopes, token_callback done) {
  cache_.get(
      token_cache::key(mailbox, scopes),
      [this, mailbox, scopes](token_cache::done_fn minted) { mint(mailbox, scopes, std::move(minted)); },
      std::move(done));
}

void dwd_auth::invalidate(const std::string& mailbox, const scope_set& scopes, const std::string& rejected) {
  cache_.invalidate(token_cache::key(mailbox, scopes), rejected);
}

void dwd_auth::mint(const std::string& mailbox, const scope_set& scopes, token_cache::done_fn done) {
  const auto issued = opts_.clock();
  std::string jwt;
  try {
    jwt = assertion(mailbox, scopes, issued);
  } catch (const std::exception&) {
    api_error e;
    e.kind = error_kind::permanent;
    e.reason = "bad_key";
    e.message = "the service-account key could not sign the token request";
    e.context = "mailbox " + mailbox;
    return done(std::move(e));
  }
  form_fields form{{"grant_type", jwt_bearer}, {"assertion", std::move(jwt)}};
  auto context = "mailbox " + mailbox + ", scopes " + short_scopes(scopes);
  gc::log::debug("minting a DWD access token for {} ({})", mailbox, short_scopes(scopes));
  // The HTTP callback may run after this provider is gone; it captures only values.
  post_token_form(http_, token_uri_, std::move(form), opts_.timeout,
                  [done = std::move(done), context, issued](outcome<token_grant> g) {
                    if (!g) {
                      auto e = std::move(g).error();
                      e.context = context;
                      gc::log::warn("DWD token refused: {}", describe(e));
                      return done(std::move(e));
                    }
                    done(access_token{std::move(g->access_token), issued + g->expires_in});
                  });
}

} // namespace gc::gmail

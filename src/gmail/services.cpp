#include "gmail/services.hpp"

#include "core/log.hpp"

namespace gc::gmail {
namespace {

gc::error bad_config(const std::string& var, const std::string& what) { return {"bad_config", var + ": " + what}; }

} // namespace

std::string auth_endpoint_for(const std::string& token_uri) {
  const std::string google = "https://accounts.google.com/o/oauth2/v2/auth";
  if (token_uri.empty() || token_uri == google_token_uri) return google;
  auto scheme = token_uri.find("://");
  if (scheme == std::string::npos) return google;
  auto path = token_uri.find('/', scheme + 3);
  return token_uri.substr(0, path) + "/o/oauth2/v2/auth";
}

gc::result<std::unique_ptr<services>> make_services(const core::config& cfg, refresh_token_storage storage) {
  auto s = std::make_unique<services>();
  net::client_options http_opts;
  http_opts.ca_file = cfg.ca_file;
  s->http = std::make_unique<net::http_client>(http_opts);

  client_options copts;
  copts.api_base = cfg.api_base;
  copts.costs = cfg.quota_costs;

  if (cfg.gmail_auth == core::auth_method::dwd) {
    if (cfg.sa_key_path.empty()) return bad_config("CRM_GMAIL_SA_KEY_PATH", "required when CRM_GMAIL_AUTH_METHOD=dwd");
    dwd_options o;
    o.token_uri = cfg.token_uri;
    auto dwd = dwd_auth::from_file(*s->http, cfg.sa_key_path, o);
    if (!dwd) return bad_config("CRM_GMAIL_SA_KEY_PATH", dwd.error().message);
    gc::log::info("gmail: domain-wide delegation as {} via {}", (*dwd)->client_email(), (*dwd)->token_uri());
    s->auth = *dwd;
    s->mode = "dwd";
  } else {
    if (cfg.oauth_client_id.empty()) return bad_config("CRM_GMAIL_OAUTH_CLIENT_ID", "required when CRM_GMAIL_AUTH_METHOD=oauth");
    if (cfg.oauth_client_secret.empty())
      return bad_config("CRM_GMAIL_OAUTH_CLIENT_SECRET", "required when CRM_GMAIL_AUTH_METHOD=oauth");
    if (cfg.oauth_redirect_uri.empty())
      return bad_config("CRM_GMAIL_OAUTH_REDIRECT_URI", "required when CRM_GMAIL_AUTH_METHOD=oauth");
    if (cfg.secret_key.size() != 32)
      return bad_config("CRM_GMAIL_SECRET_KEY", "a 32-byte key is required when CRM_GMAIL_AUTH_METHOD=oauth");
    oauth_client_config c;
    c.client_id = cfg.oauth_client_id;
    c.client_secret = cfg.oauth_client_secret;
    c.redirect_uri = cfg.oauth_redirect_uri;
    c.token_uri = cfg.token_uri;
    c.auth_endpoint = auth_endpoint_for(cfg.token_uri);
    s->oauth = std::make_shared<oauth_auth>(*s->http, std::move(c), cfg.secret_key, std::move(storage));
    s->consent = std::make_unique<oauth_consent>(s->oauth, cfg.api_base);
    s->auth = s->oauth;
    s->mode = "oauth";
  }
  s->gmail = std::make_unique<client>(*s->http, s->auth, std::move(copts));
  return s;
}

} // namespace gc::gmail

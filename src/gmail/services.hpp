#pragma once
// Everything the service needs to talk to Google, built once from the configuration: the HTTPS
// client, the auth provider of CRM_GMAIL_AUTH_METHOD (DWD or OAuth), the consent flow (OAuth
// only) and the typed Gmail client. Members are declared in dependency order, so destruction
// cancels HTTP requests last.
#include "core/config.hpp"
#include "gmail/client.hpp"
#include "gmail/dwd_auth.hpp"
#include "gmail/oauth_auth.hpp"
#include "gmail/oauth_consent.hpp"

#include <memory>

namespace gc::gmail {

struct services {
  std::unique_ptr<net::http_client> http;
  std::shared_ptr<auth_provider> auth;           // dwd_auth or oauth_auth
  std::shared_ptr<oauth_auth> oauth;             // OAuth mode only (== auth)
  std::unique_ptr<oauth_consent> consent;        // OAuth mode only
  std::unique_ptr<client> gmail;
  std::string mode;                              // "dwd" | "oauth"
};

// The consent page's address: Google's, or "<origin of CRM_GMAIL_TOKEN_URI>/o/oauth2/v2/auth"
// when the token URI is not Google's (the simulator).
std::string auth_endpoint_for(const std::string& token_uri);

// Errors name the variable: "CRM_GMAIL_SA_KEY_PATH: ..." (DWD; the key file is read and
// checked here), "CRM_GMAIL_OAUTH_CLIENT_ID: ...", "CRM_GMAIL_SECRET_KEY: ..." (OAuth). Code
// "bad_config". `storage` is used in OAuth mode only.
gc::result<std::unique_ptr<services>> make_services(const core::config& cfg, refresh_token_storage storage = {});

} // namespace gc::gmail

#pragma once
// Domain-wide delegation (gmail-api.md §1.1): the service account signs an RS256 JWT
// {iss, sub=mailbox, scope, aud=token uri, iat, exp=iat+3600} and trades it for an access token
// with the jwt-bearer grant. Tokens are cached per (mailbox, scope set) and re-minted when less
// than 5 minutes are left. The key, the assertion and the tokens are never logged.
#include "core/jwt.hpp"
#include "gmail/auth_provider.hpp"
#include "gmail/token_cache.hpp"
#include "net/http_client.hpp"

#include <memory>

namespace gc::gmail {

inline constexpr const char* google_token_uri = "https://oauth2.googleapis.com/token";

// The fields of a Google service-account JSON key file that we use.
struct service_account_key {
  std::string client_email;
  std::string client_id;
  std::string private_key_id;     // the JWT "kid"; may be empty
  std::string token_uri;          // from the file; Google's when absent
  std::string project_id;
  core::rsa_private_key key;
};

// Error codes "io" (unreadable file), "bad_key" (not a service-account key, bad PEM). Messages
// name the file and the missing field, never key material.
gc::result<service_account_key> parse_service_account_key(std::string_view json_text);
gc::result<service_account_key> load_service_account_key(const std::string& path);

struct dwd_options {
  // CRM_GMAIL_TOKEN_URI: wins over the key file's token_uri when set and not Google's default
  // (a key file written by the simulator names the simulator; a real key names Google).
  std::string token_uri;
  std::chrono::seconds refresh_margin{300};
  std::chrono::milliseconds timeout{30000};
  clock_fn clock;                                   // default system_clock::now
};

class dwd_auth final : public auth_provider {
public:
  // `http` must outlive this provider's pending requests.
  dwd_auth(net::http_client& http, service_account_key key, dwd_options opts = {});
  static gc::result<std::shared_ptr<dwd_auth>> from_file(net::http_client& http, const std::string& key_path,
                                                         dwd_options opts = {});

  void token(const std::string& mailbox, const scope_set& scopes, token_callback done) override;
  void invalidate(const std::string& mailbox, const scope_set& scopes, const std::string& rejected = {}) override;

  // The signed assertion for (mailbox, scopes) issued at `iat` (tests and diagnostics; it is a
  // credential: never log it).
  std::string assertion(const std::string& mailbox, const scope_set& scopes,
                        std::chrono::system_clock::time_point iat) const;

  const std::string& client_email() const { return key_.client_email; }
  const std::string& token_uri() const { return token_uri_; }
  int mints() const { return cache_.mints(); }

private:
  void mint(const std::string& mailbox, const scope_set& scopes, token_cache::done_fn done);

  net::http_client& http_;
  service_account_key key_;
  dwd_options opts_;
  std::string token_uri_;
  token_cache cache_;
};

} // namespace gc::gmail

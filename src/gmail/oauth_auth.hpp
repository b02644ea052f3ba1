#pragma once
// Per-mailbox OAuth fallback (gmail-api.md §1.2): each mailbox's refresh token, obtained once
// through consent (oauth_consent.hpp), is kept AES-256-GCM encrypted with CRM_GMAIL_SECRET_KEY
// (AAD = the lower-cased mailbox address) wherever the caller's refresh_token_storage puts it
// (email_accounts.refresh_token_enc, store/oauth_repo.hpp). Access tokens come from the refresh
// grant and are cached per (mailbox, scope set). Tokens are never logged.
#include "gmail/auth_provider.hpp"
#include "gmail/token_cache.hpp"
#include "gmail/token_request.hpp"
#include "net/http_client.hpp"

#include <memory>

namespace gc::gmail {

struct oauth_client_config {
  std::string client_id;
  std::string client_secret;                 // never log it
  std::string redirect_uri;                  // .../api/email/oauth/callback
  std::string auth_endpoint = "https://accounts.google.com/o/oauth2/v2/auth";   // simulator:
                                             // http://127.0.0.1:PORT/o/oauth2/v2/auth
  std::string token_uri = "https://oauth2.googleapis.com/token";
};

// Where sealed refresh tokens live. Provided by the caller so SQL stays in src/store.
struct refresh_token_storage {
  // The sealed blob stored for `mailbox`, nullopt if none. Any thread; may do a short read.
  std::function<gc::result<std::optional<std::string>>(const std::string& mailbox)> load;
  // Stores the sealed blob (enrolling the mailbox if needed); `done` runs once, any thread.
  std::function<void(const std::string& mailbox, std::string blob, std::function<void(gc::status)> done)> save;
};

// nonce || ciphertext || tag of `refresh_token`, bound to the mailbox (AAD). key32: 32 bytes.
std::string seal_refresh_token(std::string_view key32, const std::string& mailbox, std::string_view refresh_token);
// nullopt: wrong key, other mailbox, or a damaged blob.
std::optional<std::string> open_refresh_token(std::string_view key32, const std::string& mailbox,
                                              std::string_view blob);

struct oauth_options {
  std::chrono::seconds refresh_margin{300};
  std::chrono::milliseconds timeout{30000};
  clock_fn clock;                            // default system_clock::now
};

class oauth_auth final : public auth_provider {
public:
  // secret_key32: CRM_GMAIL_SECRET_KEY, decoded (32 bytes). `http` must outlive pending requests.
  oauth_auth(net::http_client& http, oauth_client_config client, std::string secret_key32,
             refresh_token_storage storage, oauth_options opts = {});

  // Errors: auth "no_consent" (nothing stored), auth "undecryptable_refresh_token" (the secret
  // key changed), auth invalid_grant "Token has been expired or revoked." (re-consent needed),
  // retryable for network and Google trouble.
  void token(const std::string& mailbox, const scope_set& scopes, token_callback done) override;
  void invalidate(const std::string& mailbox, const scope_set& scopes, const std::string& rejected = {}) override;

  // After consent: seals and stores the refresh token of `grant` and caches its access token
  // for `granted` scopes. `done` runs once, any thread.
  void enrol(const std::string& mailbox, const token_grant& grant, const scope_set& granted,
             std::function<void(gc::status)> done);

  // The authorization_code exchange (gmail-api.md §1.2); `done` on the I/O thread.
  void exchange_code(const std::string& code, const std::string& code_verifier,
                     std::function<void(outcome<token_grant>)> done);

  const oauth_client_config& client() const { return client_; }
  net::http_client& http() { return http_; }
  int mints() const { return cache_.mints(); }

private:
  void refresh(const std::string& mailbox, const scope_set& scopes, token_cache::done_fn done);

  net::http_client& http_;
  oauth_client_config client_;
  std::string key_;
  refresh_token_storage storage_;
  oauth_options opts_;
  token_cache cache_;
};

} // namespace gc::gmail

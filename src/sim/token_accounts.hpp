#pragma once
// Who may ask the simulated token endpoint for tokens: service accounts (JWT-bearer grant, with
// a domain-wide-delegation scope allow-list each) and OAuth clients (authorization-code and
// refresh grants). Also writes a Google-format service-account JSON key file.
#include "core/json.hpp"
#include "core/jwt.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gc::sim {

inline constexpr const char* scope_prefix = "https://www.googleapis.com/auth/";
inline const std::vector<std::string> default_dwd_scopes = {
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose"};

struct service_account {
  std::string project_id;
  std::string client_email;          // "<name>@<project>.iam.gserviceaccount.com"
  std::string client_id;             // 21 digits; the id an admin enters for DWD
  std::string private_key_id;        // 40 hex digits, the JWT "kid"
  std::optional<core::rsa_private_key> key;   // set when generated or loaded with its key
  core::rsa_public_key public_key;
  std::vector<std::string> dwd_scopes = default_dwd_scopes;
};

// A fresh service account with a new RSA-2048 key. Ids derive from `seed` (deterministic), the
// key does not.
gc::result<service_account> make_service_account(const std::string& project_id,
                                                 const std::string& name, uint64_t seed);

// Reads a Google-format key file (type "service_account"). Error codes "io", "bad_key".
gc::result<service_account> load_service_account(const std::string& path);

// {"type":"service_account","project_id",…,"token_uri",…}; needs sa.key.
json service_account_key_json(const service_account& sa, const std::string& token_uri);
// Writes the key JSON with mode 0600. Error code "io".
gc::status write_service_account_key(const service_account& sa, const std::string& token_uri,
                                     const std::string& path);

struct oauth_client {
  std::string client_id = "sim-client.apps.googleusercontent.com";
  std::string client_secret = "sim-client-secret";
  std::vector<std::string> redirect_uris;   // empty: any http(s) URI is accepted
  std::string test_user;                    // who "consents"; empty: first mailbox
  bool deny_consent = false;                // redirect with error=access_denied
};

// Expands "gmail.readonly" to the full scope URL; full URLs pass unchanged.
std::string full_scope(const std::string& s);
// Splits a space-delimited scope string (empty items dropped).
std::vector<std::string> split_scopes(const std::string& s);
std::string join_scopes(const std::vector<std::string>& scopes);

} // namespace gc::sim

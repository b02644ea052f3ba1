#pragma once
// OAuth refresh tokens on email_accounts.refresh_token_enc (gmail-api.md §1.2, design.md
// "Security"). Only sealed blobs (AES-256-GCM nonce || ciphertext || tag, made by
// gmail::seal_refresh_token) pass through here; this layer never sees a token in clear.
// Addresses compare ASCII case-insensitively (the column is COLLATE NOCASE).
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gc::store {

// Errors (gc::error::code): "invalid" (empty address or blob), "sqlite".
class oauth_repo {
public:
  explicit oauth_repo(connection& c) : c_{c} {}

  // The sealed refresh token of the mailbox; nullopt when the account does not exist or holds
  // none.
  result<std::optional<std::string>> find_refresh_token(std::string_view email);

  // Stores the sealed refresh token and sets auth_method = 'oauth'. Enrolment by consent: the
  // account row is created (state 'new', sync enabled) when absent. Returns the account id.
  result<int64_t> save_refresh_token(std::string_view email, std::string_view blob);

  // Removes the stored token (revocation, disconnect); false when there was none.
  result<bool> clear_refresh_token(std::string_view email);

private:
  connection& c_;
};

} // namespace gc::store

#include "store/oauth_repo.hpp"

#include "store/repo_util.hpp"

#include <sqlite3.h>

namespace gc::store {

result<std::optional<std::string>> oauth_repo::find_refresh_token(std::string_view email) {
  if (email.empty()) return error{"invalid", "the mailbox address must not be empty"};
  return detail::guarded([&]() -> result<std::optional<std::string>> {
    auto st = c_.prepare("SELECT refresh_token_enc FROM email_accounts WHERE email = ?1");
    st.bind(1, email);
    if (!st.step() || st.is_null(0)) return std::optional<std::string>{};
    auto* p = static_cast<const char*>(sqlite3_column_blob(st.raw(), 0));
    auto n = static_cast<size_t>(sqlite3_column_bytes(st.raw(), 0));
    if (!p || n == 0) return std::optional<std::string>{};
    return std::optional<std::string>{std::string(p, n)};
  });
}

result<int64_t> oauth_repo::save_refresh_token(std::string_view email, std::string_view blob) {
  if (email.empty()) return error{"invalid", "the mailbox address must not be empty"};
  if (blob.empty()) return error{"invalid", "the sealed refresh token must not be empty"};
  return detail::guarded([&]() -> result<int64_t> {
    auto up = c_.prepare(
        "INSERT INTO email_accounts (email, auth_method, refresh_token_enc) VALUES (?1, 'oauth', ?2) "
        "ON CONFLICT (email) DO UPDATE SET refresh_token_enc = excluded.refresh_token_enc, "
        "auth_method = 'oauth', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    up.bind(1, email).bind_blob(2, blob);
    up.run();
    auto id = c_.prepare("SELECT id FROM email_accounts WHERE email = ?1");
    id.bind(1, email);
    if (!id.step()) return error{"sqlite", "the account row vanished after the upsert"};
    return id.int64(0);
  });
}

result<bool> oauth_repo::clear_refresh_token(std::string_view email) {
  if (email.empty()) return error{"invalid", "the mailbox address must not be empty"};
  return detail::guarded([&]() -> result<bool> {
    auto st = c_.prepare(
        "UPDATE email_accounts SET refresh_token_enc = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "WHERE email = ?1 AND refresh_token_enc IS NOT NULL");
    st.bind(1, email).run();
    return c_.changes() > 0;
  });
}

} // namespace gc::store

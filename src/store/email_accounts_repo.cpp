// email_accounts_repo: enrolment and reads. Cursor writes and runs: email_cursor.cpp.
#include "store/email_accounts_repo.hpp"

#include "store/repo_util.hpp"

namespace gc::store {
namespace {

constexpr std::string_view account_columns =
    "id, email, user_id, auth_method, sync_enabled, state, history_id, full_sync_history_id, "
    "full_sync_page_token, backfill_done, backfill_total, last_sync_at, last_success_at, "
    "last_history_at, last_error, last_error_at";

email_account read_account(const statement& st) {
  email_account a;
  a.id = st.int64(0);
  a.email = st.text(1);
  a.user_id = st.opt_int64(2);
  a.auth_method = st.text(3);
  a.sync_enabled = st.int64(4) != 0;
  a.state = st.text(5);
  a.history_id = st.opt_int64(6);
  a.full_sync_history_id = st.opt_int64(7);
  a.full_sync_page_token = st.opt_text(8);
  a.backfill_done = st.int64(9);
  a.backfill_total = st.opt_int64(10);
  a.last_sync_at = st.opt_text(11);
  a.last_success_at = st.opt_text(12);
  a.last_history_at = st.opt_text(13);
  a.last_error = st.opt_text(14);
  a.last_error_at = st.opt_text(15);
  return a;
}

std::string trim_lower(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

} // namespace

result<int64_t> email_accounts_repo::enroll_account(std::string_view email_in,
                                                    std::string_view auth_method) {
  const auto email = trim_lower(email_in);
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find_first_of(" \t\r\n") != std::string::npos)
    return error{"invalid", "not a mailbox address: '" + email + "'"};
  if (auth_method != "dwd" && auth_method != "oauth")
    return error{"invalid", "auth_method must be 'dwd' or 'oauth'"};
  return detail::guarded([&]() -> result<int64_t> {
    c_.prepare("INSERT INTO email_accounts (email, auth_method, user_id) VALUES (?1, ?2, "
               "(SELECT id FROM users WHERE lower(email) = ?1 OR lower(username) = ?1 "
               "ORDER BY lower(email) = ?1 DESC, id LIMIT 1)) "
               "ON CONFLICT (email) DO UPDATE SET user_id = excluded.user_id, "
               "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
               "WHERE user_id IS NULL AND excluded.user_id IS NOT NULL")
        .bind(1, email)
        .bind(2, auth_method)
        .run();
    auto st = c_.prepare("SELECT id FROM email_accounts WHERE email = ?1");
    st.bind(1, email);
    if (!st.step()) return error{"sqlite", "enrolled account not found"};
    return st.int64(0);
  });
}

result<bool> email_accounts_repo::set_sync_enabled(int64_t account_id, bool enabled) {
  return detail::guarded([&]() -> result<bool> {
    c_.prepare("UPDATE email_accounts SET sync_enabled = ?2, updated_at = "
               "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1")
        .bind(1, account_id)
        .bind(2, enabled ? 1 : 0)
        .run();
    if (c_.changes() > 0) return true;
    auto st = c_.prepare("SELECT 1 FROM email_accounts WHERE id = ?1");
    st.bind(1, account_id);
    return st.step();
  });
}

result<std::optional<int64_t>> email_accounts_repo::find_account(std::string_view email) {
  const auto key = trim_lower(email);
  return detail::guarded([&]() -> result<std::optional<int64_t>> {
    auto st = c_.prepare("SELECT id FROM email_accounts WHERE email = ?1");
    st.bind(1, key);
    if (!st.step()) return std::optional<int64_t>{};
    return std::optional<int64_t>{st.int64(0)};
  });
}

result<std::vector<email_account>> email_accounts_repo::list_accounts() {
  return detail::guarded([&]() -> result<std::vector<email_account>> {
    auto st = c_.prepare("SELECT " + std::string{account_columns} +
                         " FROM email_accounts ORDER BY id");
    std::vector<email_account> out;
    while (st.step()) out.push_back(read_account(st));
    return out;
  });
}

result<email_account> email_accounts_repo::account_cursor(int64_t account_id) {
  return detail::guarded([&]() -> result<email_account> {
    auto st = c_.prepare("SELECT " + std::string{account_columns} +
                         " FROM email_accounts WHERE id = ?1");
    st.bind(1, account_id);
    if (!st.step()) return error{"not_found", "no email account " + std::to_string(account_id)};
    return read_account(st);
  });
}

result<std::vector<domain_user>> email_accounts_repo::active_domain_users(std::string_view d) {
  auto domain = trim_lower(d);
  if (!domain.empty() && domain.front() == '@') domain.erase(0, 1);
  if (domain.empty() || domain.find('@') != std::string::npos)
    return error{"invalid", "not a domain: '" + domain + "'"};
  return detail::guarded([&]() -> result<std::vector<domain_user>> {
    // Suffix comparison, not LIKE: '_' and '%' in a domain are not wildcards.
    auto st = c_.prepare(
        "SELECT id, username, coalesce(name, ''), CASE WHEN lower(substr(coalesce(email, ''), "
        "-length(?1))) = ?1 THEN lower(email) ELSE lower(username) END FROM users "
        "WHERE is_active = 1 AND (lower(substr(coalesce(email, ''), -length(?1))) = ?1 OR "
        "lower(substr(username, -length(?1))) = ?1) ORDER BY id");
    st.bind(1, "@" + domain);
    std::vector<domain_user> out;
    while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3)});
    return out;
  });
}

} // namespace gc::store

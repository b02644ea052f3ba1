#include "store/users_repo.hpp"

#include "store/repo_util.hpp"

#include <sqlite3.h>

namespace gc::store {
namespace {

constexpr std::string_view user_columns =
    "id, username, email, name, role, password_hash, is_active, created_at";

user read_user(const statement& st) {
  user u;
  u.id = st.int64(0);
  u.username = st.text(1);
  u.email = st.opt_text(2);
  u.name = st.text(3);
  u.role = st.text(4);
  u.password_hash = st.text(5);
  u.is_active = st.int64(6) != 0;
  u.created_at = st.text(7);
  return u;
}

bool valid_role(const std::string& r) { return r == "admin" || r == "member"; }

} // namespace

result<int64_t> users_repo::create_user(const new_user& u) {
  if (u.username.empty()) return error{"invalid", "username must not be empty"};
  if (!valid_role(u.role))
    return error{"invalid", "role must be 'admin' or 'member', got '" + u.role + "'"};
  return detail::guarded([&]() -> result<int64_t> {
    // One statement, so the uniqueness check and the insert are atomic. A username or email
    // may not equal any existing username or email, ignoring ASCII case.
    auto st = c_.prepare(
        "INSERT INTO users (username, email, name, role, password_hash) "
        "SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM users "
        "WHERE lower(username) IN (lower(?1), lower(?2)) "
        "OR lower(email) IN (lower(?1), lower(?2)))");
    st.bind(1, u.username).bind(2, u.email).bind(3, u.name).bind(4, u.role);
    st.bind(5, u.password_hash).run();
    if (c_.changes() == 0)
      return error{"conflict", "a user with username or email '" + u.username +
                                   (u.email ? "' or '" + *u.email : std::string{}) +
                                   "' already exists"};
    return c_.last_insert_id();
  });
}

result<std::optional<user>> users_repo::find_user(std::string_view username_or_email) {
  return detail::guarded([&]() -> result<std::optional<user>> {
    auto st = c_.prepare("SELECT " + std::string{user_columns} +
                         " FROM users WHERE lower(username) = lower(?1) OR lower(email) = "
                         "lower(?1) ORDER BY lower(username) = lower(?1) DESC, id LIMIT 1");
    st.bind(1, username_or_email);
    if (!st.step()) return std::optional<user>{};
    return std::optional<user>{read_user(st)};
  });
}

result<std::vector<user>> users_repo::list_users() {
  return detail::guarded([&]() -> result<std::vector<user>> {
    auto st = c_.prepare("SELECT " + std::string{user_columns} + " FROM users ORDER BY id");
    std::vector<user> out;
    while (st.step()) out.push_back(read_user(st));
    return out;
  });
}

result<int64_t> users_repo::insert_token(const new_token& t) {
  if (t.token_sha256.size() != 64) return error{"invalid", "token hash must be 64 hex digits"};
  return detail::guarded([&]() -> result<int64_t> {
    std::optional<std::string> expires;
    if (t.expires_at) {
      // Normalized to the format find_principal compares against, so text order is time order.
      auto norm = c_.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ?1)");
      norm.bind(1, *t.expires_at);
      if (!norm.step() || norm.is_null(0))
        return error{"invalid", "expires_at is not a valid time: '" + *t.expires_at + "'"};
      expires = norm.text(0);
    }
    auto st = c_.prepare(
        "INSERT INTO api_tokens (user_id, token_sha256, label, expires_at) "
        "VALUES (?1, ?2, ?3, ?4)");
    st.bind(1, t.user_id).bind(2, t.token_sha256).bind(3, t.label).bind(4, expires);
    try {
      st.run();
    } catch (const db_error& e) {
      if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY)
        return error{"not_found", "no user with id " + std::to_string(t.user_id)};
      if (e.code() == SQLITE_CONSTRAINT_UNIQUE) return error{"conflict", "token already exists"};
      throw;
    }
    return c_.last_insert_id();
  });
}

result<std::optional<principal>> users_repo::find_principal(std::string_view token_sha256) {
  return detail::guarded([&]() -> result<std::optional<principal>> {
    auto st = c_.prepare(
        "SELECT u.id, u.username, u.name, u.role, t.id, t.expires_at "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_sha256 = ?1 AND t.revoked_at IS NULL AND u.is_active = 1 "
        "AND (t.expires_at IS NULL OR t.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    st.bind(1, token_sha256);
    if (!st.step()) return std::optional<principal>{};
    principal p;
    p.user_id = st.int64(0);
    p.username = st.text(1);
    p.name = st.text(2);
    p.role = st.text(3);
    p.token_id = st.int64(4);
    p.expires_at = st.opt_text(5);
    return std::optional<principal>{std::move(p)};
  });
}

result<bool> users_repo::revoke_token(int64_t token_id) {
  return detail::guarded([&]() -> result<bool> {
    c_.prepare("UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
               "WHERE id = ?1 AND revoked_at IS NULL")
        .bind(1, token_id)
        .run();
    return c_.changes() > 0;
  });
}

} // namespace gc::store

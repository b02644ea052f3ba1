#pragma once
// Users and API tokens (CRM tables `users` and `api_tokens`). Only the SHA-256 (hex) of a
// token is ever stored or looked up; hashing the bearer token is the caller's job.
// Timestamps are ISO-8601 UTC text ("2026-11-21T15:20:22.123Z").
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

struct user {
  int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  std::string name;
  std::string role;            // "admin" | "member"
  std::string password_hash;   // never log it
  bool is_active = true;
  std::string created_at;
};

struct new_user {
  std::string username;
  std::optional<std::string> email;
  std::string name;
  std::string role = "member";  // "admin" | "member"
  std::string password_hash;
};

struct new_token {
  std::string token_sha256;               // hex SHA-256 of the bearer token
  int64_t user_id = 0;
  std::string label;
  std::optional<std::string> expires_at;  // any SQLite time string; stored normalized; NULL = never
};

// Who a valid bearer token speaks for.
struct principal {
  int64_t user_id = 0;
  std::string username;
  std::string name;
  std::string role;
  int64_t token_id = 0;
  std::optional<std::string> expires_at;
};

// Errors (gc::error::code): "invalid" (bad role, empty username, bad expires_at),
// "conflict" (username/email or token already exists), "not_found" (unknown user for a
// token), "sqlite". Messages never contain hashes or tokens.
class users_repo {
public:
  explicit users_repo(connection& c) : c_{c} {}

  result<int64_t> create_user(const new_user& u);
  // By username or email, ASCII case-insensitive; a username match wins. Inactive users are
  // returned too (check is_active).
  result<std::optional<user>> find_user(std::string_view username_or_email);
  result<std::vector<user>> list_users();  // ordered by id

  result<int64_t> insert_token(const new_token& t);
  // The token's user, if the token exists, is not revoked, has not expired, and the user is
  // active; nullopt otherwise.
  result<std::optional<principal>> find_principal(std::string_view token_sha256);
  // Sets revoked_at; false if no such unrevoked token.
  result<bool> revoke_token(int64_t token_id);

private:
  connection& c_;
};

} // namespace gc::store

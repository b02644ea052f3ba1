#pragma once
// Where Gmail access tokens come from: domain-wide delegation (dwd_auth.hpp) or per-mailbox
// OAuth consent (oauth_auth.hpp). Tokens are cached per (mailbox, scope set) by the providers.
#include "gmail/outcome.hpp"

#include <chrono>
#include <functional>
#include <set>
#include <string>

namespace gc::gmail {

// Full scope URLs. A set: ordered and unique, so it doubles as a cache key.
using scope_set = std::set<std::string>;

namespace scopes {
inline constexpr const char* readonly = "https://www.googleapis.com/auth/gmail.readonly";
inline constexpr const char* compose = "https://www.googleapis.com/auth/gmail.compose";
inline constexpr const char* send = "https://www.googleapis.com/auth/gmail.send";
inline constexpr const char* metadata = "https://www.googleapis.com/auth/gmail.metadata";
inline const scope_set capture{readonly};   // everything the sync needs (gmail-api.md §1.3)
} // namespace scopes

// Space-separated, in set order (the JWT "scope" claim and the OAuth "scope" parameter).
std::string join_scopes(const scope_set& s);
// Splits a space-delimited list; "gmail.readonly" is expanded to the full URL.
scope_set split_scopes(std::string_view s);
// "gmail.readonly gmail.compose": short names for messages and the status page.
std::string short_scopes(const scope_set& s);

struct access_token {
  std::string value;                                   // never log it
  std::chrono::system_clock::time_point expires_at;
};

class auth_provider {
public:
  virtual ~auth_provider() = default;

  using token_callback = std::function<void(outcome<access_token>)>;

  // A valid access token for `mailbox` with `scopes`. `done` runs exactly once: inline (cached
  // token) or on the HTTP client's I/O thread (a new token); it must not block. Errors carry
  // kind auth (refused credentials) or retryable (network, Google trouble).
  virtual void token(const std::string& mailbox, const scope_set& scopes, token_callback done) = 0;

  // Forgets the cached token after Google rejected it (401). With `rejected` set, only that
  // token value is dropped, so a newer token minted meanwhile survives concurrent 401s.
  virtual void invalidate(const std::string& mailbox, const scope_set& scopes,
                          const std::string& rejected = {}) = 0;
};

} // namespace gc::gmail

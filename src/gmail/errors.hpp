#pragma once
// One error taxonomy for everything that talks to Google (gmail-api.md §1.1, §3.2, §8): the
// OAuth token endpoint ({"error":"code","error_description":"..."}), the Gmail API
// ({"error":{"code","message","errors":[{"reason"}],"status"}}) and the HTTP client's network
// errors. Callers decide what to do from `kind` alone; `describe` gives the status page a
// sentence an admin can act on.
#include "core/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gc::gmail {

enum class error_kind {
  retryable,        // try again later (5xx, network, rate limits, internal_failure, ...)
  auth,             // credentials refused: DWD grant missing, consent revoked, bad key, 401
  history_expired,  // 404 on history.list: the startHistoryId is too old -> full sync
  not_found,        // 404 elsewhere: the message/attachment/thread is gone
  permanent,        // this request cannot succeed as sent (policy, scope, bad argument)
};

const char* to_string(error_kind k);

struct api_error {
  error_kind kind = error_kind::permanent;
  unsigned status = 0;      // HTTP status; 0 = no response (network error)
  std::string reason{};     // Google's reason ("rateLimitExceeded"), OAuth error code
                            // ("invalid_grant"), gRPC status when no reason is given, or the
                            // HTTP client's error code ("connect", "timeout", ...)
  std::string message{};    // Google's message / error_description (never a secret)
  std::optional<std::chrono::system_clock::time_point> retry_after{};  // "Retry after <RFC 3339>"
  bool rate_limited = false;   // 429 or a 403 rate/quota limit: slow the mailbox down
  bool daily_limit = false;    // dailyLimitExceeded: the wait is long (hours)
  std::string context{};       // who/what was asked, e.g. "mailbox a@x.com, scopes gmail.readonly"
                               // (filled by the auth providers; never a secret)
};

// Classifies an HTTP answer from Google. `history_call`: the request was history.list, so a 404
// means the start history id expired. Bodies of either shape (token endpoint or Gmail) or no
// JSON at all are accepted.
api_error classify(unsigned status, std::string_view body, bool history_call = false);

// As classify, and honours a Retry-After header (delta-seconds or an HTTP date) when the body
// gives no retry time. `retry_after_header` may be empty.
api_error classify(unsigned status, std::string_view body, bool history_call,
                   std::string_view retry_after_header);

// A failure of the HTTP client (no response): "bad_url" and "too_large" are permanent, every
// other code ("resolve", "connect", "tls", "timeout", "network") is retryable.
api_error from_net_error(const gc::error& e);

// An answer that is not what the API documents (unparseable JSON, missing fields).
api_error bad_response(std::string what);

// Plain words for the status page and logs, e.g. "Google refused the service account: the
// domain-wide delegation for mailbox a@x.com, scopes gmail.readonly is missing, incomplete or
// not active yet (unauthorized_client). ...". Never contains secrets.
std::string describe(const api_error& e);

// "Retry after 2025-08-22T18:22:38.763Z" anywhere in `message` -> that time.
std::optional<std::chrono::system_clock::time_point> parse_retry_after(std::string_view message);

} // namespace gc::gmail

// classify(): gmail-api.md §1.1 (token endpoint), §3.2 (Gmail error bodies), §3.3 (Retry after),
// §8 (what implementers hit). Decisions not spelled out by Google are marked (choice).
#include "gmail/errors.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace gc::gmail {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string str_at(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

const char* reason_phrase(unsigned status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

// {"error":"invalid_grant","error_description":"..."}: the OAuth token endpoint.
void classify_token_error(api_error& e) {
  const auto& r = e.reason;
  if (r == "internal_failure" || e.status >= 500) {
    e.kind = error_kind::retryable;                    // google-auth retries internal_failure
  } else if (e.status == 429) {
    e.kind = error_kind::retryable;
    e.rate_limited = true;
  } else if (r == "invalid_request" || r == "unsupported_grant_type" ||
             r == "unsupported_response_type" || r == "redirect_uri_mismatch") {
    e.kind = error_kind::permanent;                    // (choice) our request or config is wrong
  } else {
    // unauthorized_client, invalid_grant (all its texts), invalid_client, invalid_scope,
    // access_denied, invalid_token: the credentials need an admin's attention.
    e.kind = error_kind::auth;
  }
}

bool is_rate_reason(std::string_view r) {
  return r == "userRateLimitExceeded" || r == "rateLimitExceeded" || r == "quotaExceeded" ||
         r == "dailyLimitExceeded" || r == "concurrentLimitExceeded" || r == "RESOURCE_EXHAUSTED";
}

// {"error":{"code":403,"message":"...","errors":[{"domain","reason","message"}],"status":"..."}}
void classify_gmail_error(api_error& e, bool history_call) {
  const unsigned s = e.status;
  const auto& r = e.reason;
  if (s == 429) {
    e.kind = error_kind::retryable;
    e.rate_limited = true;
  } else if (s >= 500) {
    e.kind = error_kind::retryable;                    // backendError, 502/503/504,
                                                       // "Authentication backend unavailable"
  } else if (s == 401) {
    e.kind = error_kind::auth;                         // authError "Invalid Credentials"
  } else if (s == 404) {
    e.kind = history_call ? error_kind::history_expired : error_kind::not_found;
  } else if (s == 403) {
    if (is_rate_reason(r) || contains(e.message, "Quota exceeded") ||
        contains(e.message, "Rate Limit Exceeded")) {
      e.kind = error_kind::retryable;
      e.rate_limited = true;
      e.daily_limit = r == "dailyLimitExceeded";
    } else {
      e.kind = error_kind::permanent;                  // domainPolicy, insufficientPermissions,
                                                       // accessNotConfigured, forbidden
    }
  } else if (s == 400 && (r == "failedPrecondition" || r == "FAILED_PRECONDITION")) {
    // "Mail service not enabled": the user has no Gmail (TWENTY: insufficient permissions).
    // Other failedPrecondition: temporary (TWENTY, IZ retry it).
    e.kind = contains(e.message, "Mail service not enabled") ? error_kind::permanent
                                                             : error_kind::retryable;
  } else if (s == 408) {
    e.kind = error_kind::retryable;
  } else {
    e.kind = error_kind::permanent;                    // invalidArgument, badRequest, batch cap
  }
}

std::optional<std::chrono::system_clock::time_point> parse_retry_after_header(std::string_view h) {
  while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
  while (!h.empty() && std::isspace(static_cast<unsigned char>(h.back()))) h.remove_suffix(1);
  if (h.empty()) return std::nullopt;
  if (std::all_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (h.size() > 9) return std::nullopt;
    return std::chrono::system_clock::now() + std::chrono::seconds(std::stol(std::string{h}));
  }
  std::tm tm{};                                        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  std::istringstream in{std::string{h}};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S");
  if (in.fail()) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

} // namespace

const char* to_string(error_kind k) {
  switch (k) {
    case error_kind::retryable: return "retryable";
    case error_kind::auth: return "auth";
    case error_kind::history_expired: return "history_expired";
    case error_kind::not_found: return "not_found";
    case error_kind::permanent: return "permanent";
  }
  return "unknown";
}

std::optional<std::chrono::system_clock::time_point> parse_retry_after(std::string_view message) {
  constexpr std::string_view marker = "Retry after ";
  auto pos = message.find(marker);
  if (pos == std::string_view::npos) return std::nullopt;
  auto rest = message.substr(pos + marker.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end])) && rest[end] != ',' &&
         rest[end] != ')' && rest[end] != '"')
    ++end;
  auto stamp = rest.substr(0, end);
  if (!stamp.empty() && stamp.back() == '.') stamp.remove_suffix(1);   // sentence end
  return core::parse_iso8601(stamp);
}

api_error classify(unsigned status, std::string_view body, bool history_call) {
  api_error e;
  e.status = status;
  auto j = json::parse(body.begin(), body.end(), nullptr, false);
  bool token_shape = false;
  if (j.is_object()) {
    auto err = j.find("error");
    if (err != j.end() && err->is_string()) {
      token_shape = true;
      e.reason = err->get<std::string>();
      e.message = str_at(j, "error_description");
    } else if (err != j.end() && err->is_object()) {
      e.message = str_at(*err, "message");
      auto errors = err->find("errors");
      if (errors != err->end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object())
        e.reason = str_at((*errors)[0], "reason");
      if (e.reason.empty()) e.reason = str_at(*err, "status");
    }
  }
  if (e.message.empty()) e.message = reason_phrase(status);
  if (token_shape)
    classify_token_error(e);
  else
    classify_gmail_error(e, history_call);
  e.retry_after = parse_retry_after(e.message);
  return e;
}

api_error classify(unsigned status, std::string_view body, bool history_call,
                   std::string_view retry_after_header) {
  auto e = classify(status, body, history_call);
  if (!e.retry_after && !retry_after_header.empty()) e.retry_after = parse_retry_after_header(retry_after_header);
  return e;
}

api_error from_net_error(const gc::error& err) {
  api_error e;
  e.status = 0;
  e.reason = err.code;
  e.message = err.message;
  e.kind = err.code == "bad_url" || err.code == "too_large" ? error_kind::permanent : error_kind::retryable;
  return e;
}

api_error bad_response(std::string what) {
  api_error e;
  e.kind = error_kind::permanent;   // (choice) the same bytes would fail the same way again
  e.status = 200;
  e.reason = "bad_response";
  e.message = std::move(what);
  return e;
}

} // namespace gc::gmail

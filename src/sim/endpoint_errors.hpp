#pragma once
// Google's error bodies, byte-for-byte where gmail-api.md §1.1/§3.2 quotes them. Gmail errors
// have the shape {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}};
// OAuth token-endpoint errors are {"error","error_description"}. Keys keep Google's order.
#include "http/types.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace gc::sim {

// The header the lead's server honours by closing the connection without writing anything.
inline constexpr const char* drop_header = "X-Sim-Drop";

// Any JSON body with Google's content type.
http::response_t google_json(unsigned status, const json& body);

// The generic Gmail error body. `inner_message` defaults to `message`.
http::response_t google_error(unsigned status, std::string_view message, std::string_view domain,
                              std::string_view reason, std::string_view grpc_status,
                              std::string_view inner_message = {});

http::response_t not_found();                                  // 404 notFound
http::response_t invalid_argument(std::string_view message);  // 400 invalidArgument
http::response_t bad_request(std::string_view message);       // 400 badRequest
http::response_t auth_error();                                 // 401 authError "Invalid Credentials"
http::response_t login_required();                             // 401 required (no credentials)
http::response_t delegation_denied(std::string_view subject); // 403 forbidden
http::response_t forbidden(std::string_view message);         // 403 forbidden
http::response_t failed_precondition();                        // 400 "Precondition check failed."
http::response_t insufficient_permissions();                   // 403 insufficientPermissions
http::response_t backend_error();                              // 500 backendError
http::response_t service_unavailable();                        // 503
http::response_t too_many_concurrent();                        // 429 RESOURCE_EXHAUSTED
http::response_t user_rate_limit_legacy();                     // 403 userRateLimitExceeded
// 403 rateLimitExceeded "Quota exceeded for quota metric 'Queries' and limit '<limit>' ...".
http::response_t queries_quota_exceeded(std::string_view limit_name, long long project_number);
http::response_t project_rate_limit();                         // 403 rateLimitExceeded
// 429 "User-rate limit exceeded.  Retry after <RFC 3339 with ms, UTC>".
http::response_t user_rate_retry_after(std::chrono::system_clock::time_point when);
// {"error":{"code","message","status"}} without an errors[] list (batch-level failures).
http::response_t status_error(unsigned status, std::string_view message, std::string_view grpc_status);
// 400 INVALID_ARGUMENT "Inner request count exceeds the limit. Received: N, Limit: L".
http::response_t batch_too_large(std::size_t received, std::size_t limit);

// OAuth token endpoint: {"error": code, "error_description": text}.
http::response_t oauth_error(unsigned status, std::string_view code, std::string_view description);

// "2025-08-22T18:22:38.763Z"
std::string rfc3339_ms(std::chrono::system_clock::time_point t);

} // namespace gc::sim

#pragma once
// Google's error bodies, exactly as gmail-api.md §1.1, §3.2, §4 and §8 quote them.
namespace gc::test::gerr {

// §1.1 token endpoint
inline constexpr const char* unauthorized_client =
    R"({"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."})";
inline constexpr const char* unauthorized_client_old =
    R"({"error":"unauthorized_client","error_description":"Unauthorized client or scope in request."})";
inline constexpr const char* invalid_grant_user =
    R"({"error":"invalid_grant","error_description":"Invalid email or User ID"})";
inline constexpr const char* invalid_grant_email =
    R"({"error":"invalid_grant","error_description":"Not a valid email."})";
inline constexpr const char* invalid_grant_clock =
    R"({"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values and use a clock with skew to account for clock differences between systems."})";
inline constexpr const char* internal_failure = R"({"error":"internal_failure","error_description":""})";
// §1.2 OAuth
inline constexpr const char* invalid_grant_revoked =
    R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})";
inline constexpr const char* invalid_client_missing =
    R"({"error":"invalid_client","error_description":"The OAuth client was not found."})";
inline constexpr const char* invalid_client_unauthorized =
    R"({"error":"invalid_client","error_description":"Unauthorized"})";

// §1.1 Gmail-side DWD failures
inline constexpr const char* precondition_failed =
    R"({"error":{"code":400,"message":"Precondition check failed.","errors":[{"message":"Precondition check failed.","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}})";
inline constexpr const char* delegation_denied =
    R"({"error":{"code":403,"message":"Delegation denied for a@fund.example","errors":[{"message":"Delegation denied for a@fund.example","domain":"global","reason":"forbidden"}],"status":"PERMISSION_DENIED"}})";
inline constexpr const char* mail_service_not_enabled =
    R"({"error":{"code":400,"message":"Mail service not enabled","errors":[{"message":"Mail service not enabled","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}})";
inline constexpr const char* access_not_configured =
    R"({"error":{"code":403,"message":"Access Not Configured. Gmail API has not been used in project 123 before or it is disabled.","errors":[{"message":"Access Not Configured. Gmail API has not been used in project 123 before or it is disabled.","domain":"usageLimits","reason":"accessNotConfigured"}],"status":"PERMISSION_DENIED"}})";

// §3.2 (ERR samples omit "status")
inline constexpr const char* user_rate_limit =
    R"({"error":{"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded","message":"User Rate Limit Exceeded"}],"code":403,"message":"User Rate Limit Exceeded"}})";
inline constexpr const char* rate_limit =
    R"({"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Rate Limit Exceeded"}],"code":403,"message":"Rate Limit Exceeded"}})";
inline constexpr const char* queries_quota =
    R"({"error":{"code":403,"message":"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123456'.","errors":[{"message":"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123456'.","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"PERMISSION_DENIED"}})";
inline constexpr const char* daily_limit =
    R"({"error":{"errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded","message":"Daily Limit Exceeded"}],"code":403,"message":"Daily Limit Exceeded"}})";
inline constexpr const char* domain_policy =
    R"({"error":{"errors":[{"domain":"global","reason":"domainPolicy","message":"The domain administrators have disabled Gmail apps."}],"code":403,"message":"The domain administrators have disabled Gmail apps."}})";
inline constexpr const char* insufficient_permissions =
    R"({"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}})";
inline constexpr const char* too_many_concurrent =
    R"({"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"domain":"global","reason":"rateLimitExceeded","message":"Too many concurrent requests for user"}],"status":"RESOURCE_EXHAUSTED"}})";
inline constexpr const char* resource_exhausted =
    R"({"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","errors":[{"message":"Resource has been exhausted (e.g. check quota).","domain":"global","reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}})";
inline constexpr const char* retry_after_429 =
    R"({"error":{"code":429,"message":"User-rate limit exceeded.  Retry after 2025-08-22T18:22:38.763Z","errors":[{"message":"User-rate limit exceeded.  Retry after 2025-08-22T18:22:38.763Z","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}})";
inline constexpr const char* auth_error =
    R"({"error":{"errors":[{"domain":"global","reason":"authError","message":"Invalid Credentials","locationType":"header","location":"Authorization"}],"code":401,"message":"Invalid Credentials"}})";
inline constexpr const char* not_found =
    R"({"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}})";
inline constexpr const char* backend_error =
    R"({"error":{"errors":[{"domain":"global","reason":"backendError","message":"Backend Error"}],"code":500,"message":"Backend Error"}})";
inline constexpr const char* auth_backend_unavailable =
    R"({"error":{"code":502,"message":"Authentication backend unavailable.","errors":[{"message":"Authentication backend unavailable.","domain":"global","reason":"backendError"}],"status":"UNAVAILABLE"}})";
// §4 / §8: batch cap (no "errors" array)
inline constexpr const char* batch_too_large =
    R"({"error":{"code":400,"message":"Inner request count exceeds the limit. Received: 100, Limit: 50","status":"INVALID_ARGUMENT"}})";

} // namespace gc::test::gerr

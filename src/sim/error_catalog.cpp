// Texts are quoted from gmail-api.md §1.1/§3.2/§8 unless marked (choice). Where the contract
// gives a status with no body ("502/503/504 — Bad Gateway / Service Unavailable / Gateway
// Timeout", "500/502/504 Authentication backend unavailable"), the body shape is a choice: the
// status-only JSON Google's front ends use for batch-level failures, the backendError shape for
// "Authentication backend unavailable", and one HTML page as the front end sends it.
#include "sim/error_catalog.hpp"

#include "sim/endpoint_errors.hpp"

#include <array>

namespace gc::sim {
namespace {

using s = error_shape;

constexpr const char* queries_text =
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service "
    "'gmail.googleapis.com' for consumer 'project_number:100000000001'.";
// The part after "…or it is disabled" is Google's usual wording (choice; §1.1 quotes the start).
constexpr const char* not_configured_text =
    "Access Not Configured. Gmail API has not been used in project 100000000001 before or it is "
    "disabled. Enable it by visiting "
    "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=100000000001 "
    "then retry. If you enabled this API recently, wait a few minutes for the action to propagate "
    "to our systems and retry.";
constexpr const char* short_lived_text =
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values and use a clock with skew to account for clock differences "
    "between systems.";
constexpr const char* unauthorized_text =
    "Client is unauthorized to retrieve access tokens using this method, or client not authorized "
    "for any of the scopes requested.";
constexpr const char* backend_unavailable = "Authentication backend unavailable";

// name, HTTP, domain, reason, gRPC status, shape, message[, errors[0].message when it differs]
constexpr std::array<catalog_entry, 31> table{{
    {"user_rate_limit", 403, "usageLimits", "userRateLimitExceeded", "PERMISSION_DENIED", s::gmail,
     "User Rate Limit Exceeded"},
    {"rate_limit", 403, "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED", s::gmail,
     "Rate Limit Exceeded"},
    {"quota_queries", 403, "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED", s::gmail, queries_text},
    {"daily_limit", 403, "usageLimits", "dailyLimitExceeded", "PERMISSION_DENIED", s::gmail,
     "Daily Limit Exceeded"},
    {"domain_policy", 403, "global", "domainPolicy", "PERMISSION_DENIED", s::gmail,
     "The domain administrators have disabled Gmail apps."},
    {"insufficient_permissions", 403, "global", "insufficientPermissions", "PERMISSION_DENIED", s::gmail,
     "Request had insufficient authentication scopes.", "Insufficient Permission"},
    {"access_not_configured", 403, "usageLimits", "accessNotConfigured", "PERMISSION_DENIED", s::gmail,
     not_configured_text},
    {"delegation_denied", 403, "global", "forbidden", "PERMISSION_DENIED", s::gmail,
     "Delegation denied for {mailbox}"},
    {"precondition_failed", 400, "global", "failedPrecondition", "FAILED_PRECONDITION", s::gmail,
     "Precondition check failed."},
    {"mail_service_not_enabled", 400, "global", "failedPrecondition", "FAILED_PRECONDITION", s::gmail,
     "Mail service not enabled"},
    {"too_many_concurrent", 429, "global", "rateLimitExceeded", "RESOURCE_EXHAUSTED", s::gmail,
     "Too many concurrent requests for user"},
    {"resource_exhausted", 429, "global", "rateLimitExceeded", "RESOURCE_EXHAUSTED", s::gmail,
     "Resource has been exhausted (e.g. check quota)."},
    {"user_rate_retry_after", 429, "usageLimits", "rateLimitExceeded", "RESOURCE_EXHAUSTED", s::gmail,
     "User-rate limit exceeded.  Retry after {retry_at}"},
    {"auth_error", 401, "global", "authError", "UNAUTHENTICATED", s::gmail_auth, "Invalid Credentials"},
    {"not_found", 404, "global", "notFound", "NOT_FOUND", s::gmail, "Requested entity was not found."},
    {"backend_error", 500, "global", "backendError", "INTERNAL", s::gmail, "Backend Error"},
    {"auth_backend_500", 500, "global", "backendError", "INTERNAL", s::gmail, backend_unavailable},
    {"bad_gateway", 502, "", "", "UNAVAILABLE", s::status_only, "Bad Gateway"},
    {"bad_gateway_html", 502, "", "", "", s::html, ""},
    {"auth_backend_502", 502, "global", "backendError", "UNAVAILABLE", s::gmail, backend_unavailable},
    {"service_unavailable", 503, "global", "backendError", "UNAVAILABLE", s::gmail,
     "The service is currently unavailable."},
    {"gateway_timeout", 504, "", "", "DEADLINE_EXCEEDED", s::status_only, "Gateway Timeout"},
    {"auth_backend_504", 504, "global", "backendError", "DEADLINE_EXCEEDED", s::gmail, backend_unavailable},
    // Token endpoint (§1.1, §1.2): reason = OAuth `error`, message = `error_description`.
    {"token_unauthorized_client", 401, "", "unauthorized_client", "", s::oauth, unauthorized_text},
    {"token_unauthorized_client_legacy", 401, "", "unauthorized_client", "", s::oauth,
     "Unauthorized client or scope in request."},
    {"token_invalid_user", 400, "", "invalid_grant", "", s::oauth, "Invalid email or User ID"},
    {"token_not_valid_email", 400, "", "invalid_grant", "", s::oauth, "Not a valid email."},
    {"token_short_lived", 400, "", "invalid_grant", "", s::oauth, short_lived_text},
    {"token_expired_or_revoked", 400, "", "invalid_grant", "", s::oauth, "Token has been expired or revoked."},
    {"token_invalid_client", 401, "", "invalid_client", "", s::oauth, "The OAuth client was not found."},
    {"token_internal_failure", 500, "", "internal_failure", "", s::oauth, ""},
}};

// Google front end's 502 page, shortened (choice: the HTML Google serves when a backend fails).
constexpr const char* gfe_502_html =
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
    "  <title>Error 502 (Server Error)!!1</title>\n"
    "  <p><b>502.</b> <ins>That\xE2\x80\x99s an error.</ins>\n"
    "  <p>The server encountered a temporary error and could not complete your request.<p>Please "
    "try again in 30 seconds.  <ins>That\xE2\x80\x99s all we know.</ins>\n";

std::string expand(std::string_view text, const catalog_vars& v) {
  std::string out{text};
  auto put = [&out](std::string_view key, const std::string& value) {
    if (auto p = out.find(key); p != std::string::npos) out.replace(p, key.size(), value);
  };
  put("{mailbox}", v.mailbox);
  if (out.find("{retry_at}") != std::string::npos) put("{retry_at}", rfc3339_ms(v.retry_at));
  return out;
}

} // namespace

std::span<const catalog_entry> error_catalog() { return table; }

const catalog_entry* find_catalog_entry(std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return &e;
  return nullptr;
}

bool is_token_entry(const catalog_entry& e) { return e.shape == error_shape::oauth; }

http::response_t catalog_response(const catalog_entry& e, const catalog_vars& vars) {
  auto message = expand(e.message, vars);
  switch (e.shape) {
    case error_shape::gmail:
      return google_error(e.status, message, e.domain, e.reason, e.grpc_status, e.inner_message);
    case error_shape::gmail_auth: return auth_error();
    case error_shape::status_only: return status_error(e.status, message, e.grpc_status);
    case error_shape::oauth: return oauth_error(e.status, e.reason, message);
    case error_shape::html: break;
  }
  http::response_t res{static_cast<http::bhttp::status>(e.status), 11};
  res.set(http::bhttp::field::content_type, "text/html; charset=UTF-8");
  res.body() = gfe_502_html;
  res.prepare_payload();
  return res;
}

json catalog_json() {
  json out = json::array();
  for (const auto& e : table)
    out.push_back({{"name", e.name},
                   {"http", e.status},
                   {"domain", e.domain},
                   {"reason", e.reason},
                   {"message", e.message},
                   {"status", e.grpc_status},
                   {"endpoint", is_token_entry(e) ? "token" : "gmail"}});
  return out;
}

} // namespace gc::sim

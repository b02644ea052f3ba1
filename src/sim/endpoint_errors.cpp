#include "sim/endpoint_errors.hpp"

#include <ctime>
#include <fmt/format.h>

namespace gc::sim {
namespace {

using ojson = nlohmann::ordered_json;

http::response_t ordered_reply(unsigned status, const ojson& body) {
  http::response_t res{static_cast<http::bhttp::status>(status), 11};
  res.set(http::bhttp::field::content_type, "application/json; charset=UTF-8");
  res.set(http::bhttp::field::vary, "Origin, X-Origin, Referer");
  res.body() = body.dump(2, ' ', false, ojson::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

} // namespace

http::response_t google_json(unsigned status, const json& body) {
  http::response_t res{static_cast<http::bhttp::status>(status), 11};
  res.set(http::bhttp::field::content_type, "application/json; charset=UTF-8");
  res.set(http::bhttp::field::vary, "Origin, X-Origin, Referer");
  res.body() = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

http::response_t google_error(unsigned status, std::string_view message, std::string_view domain,
                              std::string_view reason, std::string_view grpc_status,
                              std::string_view inner_message) {
  ojson item;
  item["message"] = std::string{inner_message.empty() ? message : inner_message};
  item["domain"] = std::string{domain};
  item["reason"] = std::string{reason};
  ojson err;
  err["code"] = status;
  err["message"] = std::string{message};
  err["errors"] = ojson::array({item});
  if (!grpc_status.empty()) err["status"] = std::string{grpc_status};
  return ordered_reply(status, ojson{{"error", err}});
}

http::response_t not_found() {
  return google_error(404, "Requested entity was not found.", "global", "notFound", "NOT_FOUND");
}

http::response_t invalid_argument(std::string_view message) {
  return google_error(400, message, "global", "invalidArgument", "INVALID_ARGUMENT");
}

http::response_t bad_request(std::string_view message) {
  return google_error(400, message, "global", "badRequest", "INVALID_ARGUMENT");
}

http::response_t auth_error() {
  ojson item;
  item["message"] = "Invalid Credentials";
  item["domain"] = "global";
  item["reason"] = "authError";
  item["location"] = "Authorization";
  item["locationType"] = "header";
  ojson err;
  err["code"] = 401;
  err["message"] = "Invalid Credentials";
  err["errors"] = ojson::array({item});
  err["status"] = "UNAUTHENTICATED";
  auto res = ordered_reply(401, ojson{{"error", err}});
  res.set(http::bhttp::field::www_authenticate,
          "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
  return res;
}

http::response_t login_required() {
  ojson item;
  item["message"] = "Login Required.";
  item["domain"] = "global";
  item["reason"] = "required";
  item["location"] = "Authorization";
  item["locationType"] = "header";
  ojson err;
  err["code"] = 401;
  err["message"] =
      "Request is missing required authentication credential. Expected OAuth 2 access token, login "
      "cookie or other valid authentication credential. See "
      "https://developers.google.com/identity/sign-in/web/devconsole-project.";
  err["errors"] = ojson::array({item});
  err["status"] = "UNAUTHENTICATED";
  auto res = ordered_reply(401, ojson{{"error", err}});
  res.set(http::bhttp::field::www_authenticate, "Bearer realm=\"https://accounts.google.com/\"");
  return res;
}

http::response_t delegation_denied(std::string_view subject) {
  return forbidden("Delegation denied for " + std::string{subject});
}

http::response_t forbidden(std::string_view message) {
  return google_error(403, message, "global", "forbidden", "PERMISSION_DENIED");
}

http::response_t failed_precondition() {
  return google_error(400, "Precondition check failed.", "global", "failedPrecondition",
                      "FAILED_PRECONDITION");
}

http::response_t insufficient_permissions() {
  return google_error(403, "Request had insufficient authentication scopes.", "global",
                      "insufficientPermissions", "PERMISSION_DENIED", "Insufficient Permission");
}

http::response_t backend_error() {
  return google_error(500, "Backend Error", "global", "backendError", "INTERNAL");
}

http::response_t service_unavailable() {
  return google_error(503, "The service is currently unavailable.", "global", "backendError",
                      "UNAVAILABLE");
}

http::response_t too_many_concurrent() {
  return google_error(429, "Too many concurrent requests for user", "global", "rateLimitExceeded",
                      "RESOURCE_EXHAUSTED");
}

http::response_t user_rate_limit_legacy() {
  return google_error(403, "User Rate Limit Exceeded", "usageLimits", "userRateLimitExceeded",
                      "PERMISSION_DENIED");
}

http::response_t queries_quota_exceeded(std::string_view limit_name, long long project_number) {
  auto msg = fmt::format("Quota exceeded for quota metric 'Queries' and limit '{}' of service "
                         "'gmail.googleapis.com' for consumer 'project_number:{}'.",
                         limit_name, project_number);
  return google_error(403, msg, "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED");
}

http::response_t project_rate_limit() {
  return google_error(403, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded",
                      "PERMISSION_DENIED");
}

http::response_t user_rate_retry_after(std::chrono::system_clock::time_point when) {
  auto msg = "User-rate limit exceeded.  Retry after " + rfc3339_ms(when);
  return google_error(429, msg, "usageLimits", "rateLimitExceeded", "RESOURCE_EXHAUSTED");
}

http::response_t status_error(unsigned status, std::string_view message, std::string_view grpc_status) {
  ojson err;
  err["code"] = status;
  err["message"] = std::string{message};
  err["status"] = std::string{grpc_status};
  return ordered_reply(status, ojson{{"error", err}});
}

http::response_t batch_too_large(std::size_t received, std::size_t limit) {
  return status_error(400,
                      fmt::format("Inner request count exceeds the limit. Received: {}, Limit: {}",
                                  received, limit),
                      "INVALID_ARGUMENT");
}

http::response_t oauth_error(unsigned status, std::string_view code, std::string_view description) {
  ojson body;
  body["error"] = std::string{code};
  if (!description.empty()) body["error_description"] = std::string{description};
  auto res = ordered_reply(status, body);
  res.set(http::bhttp::field::cache_control, "no-cache, no-store, max-age=0, must-revalidate");
  return res;
}

std::string rfc3339_ms(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ms % 1000));
}

} // namespace gc::sim

#include "core/clock.hpp"
#include "gmail/errors.hpp"
#include "unit/gmail/error_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace gc::gmail;
namespace fx = gc::test::gerr;
using Catch::Matchers::Contains;

namespace {

void check_no_secret(const std::string& text) {
  CHECK_THAT(text, !Contains("ya29"));
  CHECK_THAT(text, !Contains("PRIVATE KEY"));
}

} // namespace

TEST_CASE("token endpoint errors of gmail-api.md 1.1 are classified", "[gmail][errors]") {
  struct row {
    unsigned status;
    const char* body;
    error_kind kind;
    const char* reason;
    const char* words;
  };
  const row rows[] = {
      {401, fx::unauthorized_client, error_kind::auth, "unauthorized_client", "domain-wide delegation"},
      {401, fx::unauthorized_client_old, error_kind::auth, "unauthorized_client", "domain-wide delegation"},
      {400, fx::invalid_grant_user, error_kind::auth, "invalid_grant", "does not exist, was deleted or is suspended"},
      {400, fx::invalid_grant_email, error_kind::auth, "invalid_grant", "not a valid email"},
      {400, fx::invalid_grant_clock, error_kind::auth, "invalid_grant", "clock"},
      {500, fx::internal_failure, error_kind::retryable, "internal_failure", "retried"},
      {400, fx::internal_failure, error_kind::retryable, "internal_failure", "retried"},
      {400, fx::invalid_grant_revoked, error_kind::auth, "invalid_grant", "re-consent needed"},
      {401, fx::invalid_client_missing, error_kind::auth, "invalid_client", "CRM_GMAIL_OAUTH_CLIENT_ID"},
      {401, fx::invalid_client_unauthorized, error_kind::auth, "invalid_client", "CRM_GMAIL_OAUTH_CLIENT_SECRET"},
  };
  for (const auto& r : rows) {
    INFO(r.body);
    auto e = classify(r.status, r.body, false);
    CHECK(e.kind == r.kind);
    CHECK(e.status == r.status);
    CHECK(e.reason == r.reason);
    CHECK_FALSE(e.rate_limited);
    auto words = describe(e);
    CHECK_THAT(words, Contains(r.words));
    CHECK_THAT(words, Contains(std::string{"("} + r.reason));
    check_no_secret(words);
  }
  auto e = classify(401, fx::unauthorized_client, false);
  CHECK(e.message == "Client is unauthorized to retrieve access tokens using this method, or client not "
                     "authorized for any of the scopes requested.");
  e.context = "mailbox ann@fund.example, scopes gmail.readonly";
  CHECK_THAT(describe(e), Contains("Google refused the service account: the domain-wide delegation for "
                                   "mailbox ann@fund.example, scopes gmail.readonly is missing"));
  CHECK_THAT(describe(e), Contains("24 hours"));
}

TEST_CASE("Gmail error bodies of gmail-api.md 3.2 and 8 are classified", "[gmail][errors]") {
  struct row {
    unsigned status;
    const char* body;
    error_kind kind;
    bool rate_limited;
    const char* reason;
  };
  const row rows[] = {
      {403, fx::user_rate_limit, error_kind::retryable, true, "userRateLimitExceeded"},
      {403, fx::rate_limit, error_kind::retryable, true, "rateLimitExceeded"},
      {403, fx::queries_quota, error_kind::retryable, true, "rateLimitExceeded"},
      {403, fx::daily_limit, error_kind::retryable, true, "dailyLimitExceeded"},
      {403, fx::domain_policy, error_kind::permanent, false, "domainPolicy"},
      {403, fx::insufficient_permissions, error_kind::permanent, false, "insufficientPermissions"},
      {403, fx::access_not_configured, error_kind::permanent, false, "accessNotConfigured"},
      {403, fx::delegation_denied, error_kind::permanent, false, "forbidden"},
      {429, fx::too_many_concurrent, error_kind::retryable, true, "rateLimitExceeded"},
      {429, fx::resource_exhausted, error_kind::retryable, true, "rateLimitExceeded"},
      {429, fx::retry_after_429, error_kind::retryable, true, "rateLimitExceeded"},
      {401, fx::auth_error, error_kind::auth, false, "authError"},
      {404, fx::not_found, error_kind::not_found, false, "notFound"},
      {500, fx::backend_error, error_kind::retryable, false, "backendError"},
      {502, fx::auth_backend_unavailable, error_kind::retryable, false, "backendError"},
      {400, fx::precondition_failed, error_kind::retryable, false, "failedPrecondition"},
      {400, fx::mail_service_not_enabled, error_kind::permanent, false, "failedPrecondition"},
      {400, fx::batch_too_large, error_kind::permanent, false, "INVALID_ARGUMENT"},
  };
  for (const auto& r : rows) {
    INFO(r.body);
    auto e = classify(r.status, r.body, false);
    CHECK(e.kind == r.kind);
    CHECK(e.rate_limited == r.rate_limited);
    CHECK(e.reason == r.reason);
    CHECK_FALSE(e.message.empty());
    CHECK_FALSE(describe(e).empty());
    check_no_secret(describe(e));
  }
  CHECK(classify(403, fx::daily_limit).daily_limit);
  CHECK_FALSE(classify(403, fx::user_rate_limit).daily_limit);
  CHECK_THAT(describe(classify(403, fx::daily_limit)), Contains("daily"));
  CHECK_THAT(describe(classify(403, fx::domain_policy)), Contains("disabled Gmail API access"));
  CHECK_THAT(describe(classify(403, fx::access_not_configured)), Contains("not enabled in the Google Cloud project"));
  CHECK_THAT(describe(classify(400, fx::mail_service_not_enabled)), Contains("Gmail is not enabled"));
  CHECK_THAT(describe(classify(400, fx::batch_too_large)), Contains("smaller batches"));
}

TEST_CASE("404 means history expired only on history.list", "[gmail][errors]") {
  auto h = classify(404, fx::not_found, true);
  CHECK(h.kind == error_kind::history_expired);
  CHECK_THAT(describe(h), Contains("full resync"));
  CHECK(classify(404, fx::not_found, false).kind == error_kind::not_found);
}

TEST_CASE("Retry after <RFC 3339> in the message becomes retry_after", "[gmail][errors]") {
  auto e = classify(429, fx::retry_after_429, false);
  REQUIRE(e.retry_after);
  CHECK(gc::core::iso8601_utc(*e.retry_after) == "2025-08-22T18:22:38.763Z");
  CHECK_THAT(describe(e), Contains("after 2025-08-22T18:22:38.763Z"));
  CHECK_FALSE(classify(429, fx::too_many_concurrent).retry_after);
  CHECK_FALSE(parse_retry_after("Retry after tomorrow"));
  // A Retry-After header is used when the body names no time.
  auto before = std::chrono::system_clock::now();
  auto h = classify(503, "", false, "120");
  REQUIRE(h.retry_after);
  CHECK(*h.retry_after >= before + std::chrono::seconds(120));
  auto d = classify(503, "", false, "Wed, 21 Oct 2015 07:28:00 GMT");
  REQUIRE(d.retry_after);
  CHECK(gc::core::iso8601_utc(*d.retry_after) == "2015-10-21T07:28:00.000Z");
  // The body's time wins over the header.
  CHECK(gc::core::iso8601_utc(*classify(429, fx::retry_after_429, false, "5").retry_after) ==
        "2025-08-22T18:22:38.763Z");
}

TEST_CASE("statuses without a JSON body are classified by status", "[gmail][errors]") {
  for (unsigned s : {500u, 502u, 503u, 504u}) {
    auto e = classify(s, "<html>Bad Gateway</html>", false);
    CHECK(e.kind == error_kind::retryable);
    CHECK_FALSE(e.message.empty());
  }
  CHECK(classify(429, "", false).rate_limited);
  CHECK(classify(401, "", false).kind == error_kind::auth);
  CHECK(classify(400, "garbage", false).kind == error_kind::permanent);
  CHECK(classify(408, "", false).kind == error_kind::retryable);
}

TEST_CASE("network errors from the HTTP client are retryable", "[gmail][errors]") {
  for (const char* code : {"resolve", "connect", "tls", "timeout", "network"}) {
    auto e = from_net_error(gc::error{code, "connect to oauth2.googleapis.com:443 failed"});
    CHECK(e.kind == error_kind::retryable);
    CHECK(e.status == 0);
    CHECK(e.reason == code);
    CHECK_THAT(describe(e), Contains("Could not reach Google"));
  }
  CHECK(from_net_error(gc::error{"bad_url", "x"}).kind == error_kind::permanent);
  CHECK(from_net_error(gc::error{"too_large", "x"}).kind == error_kind::permanent);
}

TEST_CASE("describe masks anything that looks like a credential", "[gmail][errors]") {
  api_error e;
  e.status = 400;
  e.reason = "weird";
  e.message = "echoed Bearer ya29.a0AfH6SMBabcdefghijkl";
  auto words = describe(e);
  CHECK_THAT(words, !Contains("ya29.a0AfH6SMB"));
  REQUIRE_FALSE(words.empty());
  CHECK(words[0] == 'G');   // "Google answered HTTP 400: ..."
}

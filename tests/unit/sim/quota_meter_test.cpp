// Quota metering: moving 60 s windows per mailbox and project, the in-flight cap, and Google's
// exact refusal bodies (gmail-api.md §3).
#include "endpoint_fixture.hpp"

#include "sim/endpoint_errors.hpp"
#include "sim/quota_meter.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::sim::gmail_method;
using gc::sim::quota_verdict;

namespace {

const auto t0 = std::chrono::system_clock::time_point{std::chrono::seconds(1767225600)};  // 2026-01-01

json body_of(const gc::http::response_t& r) { return json::parse(r.body()); }

json rate_err(int code, const std::string& msg, const std::string& domain, const std::string& reason,
              const std::string& status) {
  return {{"error",
           {{"code", code},
            {"message", msg},
            {"errors", json::array({{{"message", msg}, {"domain", domain}, {"reason", reason}}})},
            {"status", status}}}};
}

} // namespace

TEST_CASE("per-mailbox units follow a moving one-minute window", "[sim][quota]") {
  gc::sim::sim_clock clock;
  clock.freeze(t0);
  gc::sim::quota_options o;
  o.user_per_min = 15;
  o.project_number = 123456789;
  gc::sim::quota_meter q{o, clock};

  CHECK(q.cost(gmail_method::messages_get) == 5);   // legacy table
  for (int i = 0; i < 3; ++i) CHECK(q.charge("a@x", gmail_method::messages_get).verdict == quota_verdict::ok);
  auto refused = q.charge("a@x", gmail_method::messages_get);
  CHECK(refused.verdict == quota_verdict::user_rate);
  CHECK(q.charge("b@x", gmail_method::messages_get).verdict == quota_verdict::ok);   // per mailbox

  SECTION("403 'Queries' body (default)") {
    auto r = q.refusal(refused);
    CHECK(r.result_int() == 403);
    CHECK(body_of(r) == rate_err(403,
                                 "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per "
                                 "user' of service 'gmail.googleapis.com' for consumer 'project_number:123456789'.",
                                 "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED"));
  }
  SECTION("403 userRateLimitExceeded (legacy style)") {
    o.user_style = gc::sim::user_limit_style::legacy_403;
    q.set_options(o);
    CHECK(body_of(q.refusal(refused)) ==
          rate_err(403, "User Rate Limit Exceeded", "usageLimits", "userRateLimitExceeded", "PERMISSION_DENIED"));
  }
  SECTION("429 'Retry after' style names the moment the window frees up") {
    o.user_style = gc::sim::user_limit_style::retry_after_429;
    q.set_options(o);
    auto r = q.refusal(refused);
    CHECK(r.result_int() == 429);
    CHECK(body_of(r) == rate_err(429, "User-rate limit exceeded.  Retry after 2026-01-01T00:01:00.000Z",
                                 "usageLimits", "rateLimitExceeded", "RESOURCE_EXHAUSTED"));
  }
  SECTION("the window moves: 59 s later still full, 60 s later free") {
    clock.advance(std::chrono::seconds(59));
    CHECK(q.charge("a@x", gmail_method::messages_get).verdict == quota_verdict::user_rate);
    clock.advance(std::chrono::seconds(1));
    CHECK(q.charge("a@x", gmail_method::messages_get).verdict == quota_verdict::ok);
  }
  SECTION("refusals are not charged and are counted") {
    auto s = q.stats();
    CHECK(s["mailboxes"]["a@x"]["units"] == 15);
    CHECK(s["mailboxes"]["a@x"]["rate_refusals"] == 1);
    CHECK(s["project"]["units"] == 20);
  }
}

TEST_CASE("the 2026 cost table and the project limit", "[sim][quota]") {
  gc::sim::sim_clock clock;
  clock.freeze(t0);
  gc::sim::quota_options o;
  o.table = gc::core::quota_table::y2026;
  o.project_per_min = 50;
  gc::sim::quota_meter q{o, clock};
  CHECK(q.cost(gmail_method::messages_get) == 20);
  CHECK(q.cost(gmail_method::threads_get) == 40);
  CHECK(q.cost(gmail_method::history_list) == 2);
  CHECK(q.charge("a@x", gmail_method::messages_get).verdict == quota_verdict::ok);
  CHECK(q.charge("b@x", gmail_method::messages_get).verdict == quota_verdict::ok);
  auto d = q.charge("c@x", gmail_method::messages_get);
  REQUIRE(d.verdict == quota_verdict::project_rate);
  CHECK(body_of(q.refusal(d)) ==
        rate_err(403, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED"));
}

TEST_CASE("the in-flight cap and batch holds", "[sim][quota]") {
  gc::sim::sim_clock clock;
  gc::sim::quota_options o;
  o.inflight_cap = 2;
  gc::sim::quota_meter q{o, clock};
  CHECK(q.acquire("a@x"));
  CHECK(q.acquire("a@x"));
  CHECK_FALSE(q.acquire("a@x"));
  CHECK(q.acquire("b@x"));
  q.release("a@x");
  CHECK(q.acquire("a@x"));

  q.open_hold("h1");
  q.release("a@x", "h1");   // held until the batch ends
  CHECK_FALSE(q.acquire("a@x"));
  q.close_hold("h1");
  CHECK(q.acquire("a@x"));
  CHECK(q.stats()["mailboxes"]["a@x"]["concurrency_refusals"] == 2);

  auto r = gc::sim::too_many_concurrent();
  CHECK(r.result_int() == 429);
  CHECK(body_of(r) == rate_err(429, "Too many concurrent requests for user", "global", "rateLimitExceeded",
                               "RESOURCE_EXHAUSTED"));
}

TEST_CASE("quota over HTTP: every call is charged, the refusal is Google's 403", "[sim][quota]") {
  gc::sim::sim_options opts;
  opts.quota.user_per_min = 10;
  gc::test::sim_fixture f{opts};
  auto tok = f.token_for(f.user(0));
  auto list = f.get("/gmail/v1/users/me/messages?maxResults=1", tok);   // 5 units
  REQUIRE(list.status == 200);
  auto id = list.json_body()["messages"][0]["id"].get<std::string>();
  CHECK(f.get("/gmail/v1/users/me/messages/" + id, tok).status == 200);   // 10 units
  auto r = f.get("/gmail/v1/users/me/profile", tok);
  CHECK(r.status == 403);
  CHECK(r.json_body()["error"]["errors"][0]["reason"] == "rateLimitExceeded");
  CHECK(r.json_body()["error"]["message"].get<std::string>().rfind("Quota exceeded for quota metric 'Queries'", 0) == 0);

  auto stats = f.get("/__sim/stats").json_body();
  CHECK(stats["quota"]["mailboxes"][f.user(0)]["units"] == 10);
  CHECK(stats["quota"]["mailboxes"][f.user(0)]["rate_refusals"] == 1);
  CHECK(stats["quota"]["totals"]["rate_refusals"] == 1);

  // Control route: raise the limit, and the next call passes.
  auto c = f.call("POST", "/__sim/quota", R"({"user_per_min":100})", {{"Content-Type", "application/json"}});
  CHECK(c.status == 200);
  CHECK(f.get("/gmail/v1/users/me/profile", tok).status == 200);
}

// rate_limiter pacing, in-flight cap, FIFO, project fairness and timers, on the
// deterministic scheduler. Throttling and expiry are in rate_limiter_throttle_test.cpp.
#include "rate_limiter_fixture.hpp"

using namespace std::chrono_literals;
using gc::core::gmail_method;
using gc::test::rate_limiter_fixture;

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter grants permits at the exact rate",
                 "[actors][rate_limiter]") {
  auto o = options(100);  // 100 units/s, burst 1 s; messages.get costs 5 -> 20 calls/s
  o.inflight_cap = 0;
  spawn(o);
  CHECK(pending_timers() == 0);  // idle: no timer at all
  acquire_n(100, "a@x.test");
  CHECK(log->grants.size() == 20);  // the full bucket
  run_for(1s);
  CHECK(log->grants.size() == 40);
  run_for(1s);
  CHECK(log->grants.size() == 60);
  // Each grant after the burst arrives at exactly k * 50 ms.
  for (size_t k = 20; k < log->grants.size(); ++k) {
    INFO("grant " << k);
    CHECK(log->grants[k].at == static_cast<int64_t>(k - 19) * 50ms);
    CHECK(log->grants[k].p.units == 5);
  }
  // One wake-up per paced grant, one timer pending at a time: no polling.
  auto s = stats();
  CHECK(s.wakeups == 40);
  CHECK(max_pending == 1);
  CHECK(s.timers_pending == 1);
  CHECK(s.mailboxes.at(0).granted_units == 300);
  CHECK(s.mailboxes.at(0).queued == 40);
  CHECK(s.mailboxes.at(0).queued_units == 200);
  run_for(2s);  // drains the queue; then the timer stops
  CHECK(log->grants.size() == 100);
  run_for(10s);
  CHECK(pending_timers() == 0);
  CHECK(stats().wakeups == 80);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter charges cost times count from the table",
                 "[actors][rate_limiter]") {
  auto o = options(1000);
  o.costs = gc::core::quota_table::y2026;
  o.inflight_cap = 0;
  spawn(o);
  acquire("a@x.test", gmail_method::messages_get, 10);  // 2026: 20 units each
  acquire("a@x.test", gmail_method::history_list, 1);
  REQUIRE(log->grants.size() == 2);
  CHECK(log->grants[0].p.units == 200);
  CHECK(log->grants[0].p.count == 10);
  CHECK(log->grants[1].p.units == 2);
  CHECK(log->grants[0].p.id != log->grants[1].p.id);
  CHECK(log->grants[0].p.mailbox == "a@x.test");
  acquire("a@x.test", gmail_method::messages_get, 0);
  acquire("", gmail_method::messages_get, 1);
  REQUIRE(log->errors.size() == 2);
  CHECK(log->errors[0].second == caf::sec::invalid_argument);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter caps inner calls in flight per mailbox",
                 "[actors][rate_limiter]") {
  auto o = options(10000);
  o.inflight_cap = 3;
  spawn(o);
  acquire_n(5, "a@x.test");
  acquire("b@x.test");  // another mailbox has its own slots
  REQUIRE(log->grants.size() == 4);
  CHECK(log->count("a@x.test") == 3);
  CHECK(box("a@x.test").in_flight == 3);
  CHECK(box("a@x.test").queued == 2);
  // Only a release helps now, or the safety net: the one timer is the slot expiry.
  REQUIRE(pending_timers() == 1);
  CHECK(sched->clock().schedule().begin()->first - sched->clock().now() == 5min);
  release(log->grants[0].p.id);
  CHECK(log->count("a@x.test") == 4);
  release(log->grants[0].p.id);  // twice: ignored and counted
  CHECK(log->count("a@x.test") == 4);
  CHECK(stats().unknown_releases == 1);
  CHECK(box("a@x.test").in_flight == 3);

  // A batch holds one slot per inner call: 2 more do not fit beside 3.
  acquire("c@x.test", gmail_method::messages_get, 2);
  acquire("c@x.test", gmail_method::messages_get, 2);
  CHECK(log->count("c@x.test") == 1);
  CHECK(box("c@x.test").in_flight == 2);
  release(log->grants.back().p.id);
  CHECK(log->count("c@x.test") == 2);
  // A batch larger than the cap goes alone, once nothing else is in flight.
  acquire("c@x.test", gmail_method::messages_get, 5);
  CHECK(log->count("c@x.test") == 2);
  release(log->grants.back().p.id);
  CHECK(log->count("c@x.test") == 3);
  CHECK(box("c@x.test").in_flight == 5);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter serves parked requests FIFO per mailbox",
                 "[actors][rate_limiter]") {
  auto o = options(100);
  o.inflight_cap = 0;
  spawn(o);
  acquire("a@x.test", gmail_method::messages_get, 19);                  // 95 of 100 units
  const int big = acquire("a@x.test", gmail_method::messages_get, 20);  // needs a full bucket
  const int small1 = acquire("a@x.test", gmail_method::history_list);   // 2 units would fit
  const int small2 = acquire("a@x.test", gmail_method::get_profile);
  CHECK(log->grants.size() == 1);  // the small ones wait behind the big one
  run_for(1s);
  REQUIRE(log->grants.size() == 4);
  CHECK(log->grants[1].tag == big);
  CHECK(log->grants[1].at == 950ms);  // 5 left + 95 refilled at 100/s
  CHECK(log->grants[2].tag == small1);
  CHECK(log->grants[2].at == 970ms);  // 2 units at 100/s
  CHECK(log->grants[3].tag == small2);
  CHECK(log->grants[3].at == 980ms);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter shares the project bucket round robin",
                 "[actors][rate_limiter]") {
  auto o = options(1000, 100);  // mailboxes could do 1000/s; the project only 100/s
  o.inflight_cap = 0;
  spawn(o);
  acquire_n(100, "a@x.test");  // a asks first and alone for the whole burst ...
  acquire_n(100, "b@x.test");
  // ... and the project burst (100 units = 20 calls) went to a, which was alone then.
  CHECK(log->count("a@x.test") == 20);
  run_for(2s);  // 40 more calls; a and b alternate
  CHECK(log->count("a@x.test") == 40);
  CHECK(log->count("b@x.test") == 20);
  for (size_t k = 21; k < log->grants.size(); ++k)
    CHECK(log->grants[k].p.mailbox != log->grants[k - 1].p.mailbox);
  CHECK(max_pending == 1);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter does not let small requests starve a big one",
                 "[actors][rate_limiter]") {
  auto o = options(1000, 100);
  o.inflight_cap = 0;
  spawn(o);
  acquire_n(20, "b@x.test");  // drains the project burst
  acquire_n(40, "b@x.test");
  const int big = acquire("a@x.test", gmail_method::messages_get, 10);  // 50 units
  run_for(1s);
  int pos = -1;
  for (size_t k = 0; k < log->grants.size(); ++k)
    if (log->grants[k].tag == big)
      pos = static_cast<int>(k);
  REQUIRE(pos >= 0);
  // a's turn came after b's next call; then nobody took tokens until a had its 50 units.
  CHECK(log->grants[pos].at == 550ms);
  CHECK(log->count("b@x.test") == 20 + 1 + 9);  // 0.05 s + 0.5 s for a, then 9 more in 0.45 s
}

TEST_CASE("rate_limiter options come from the configuration", "[actors][rate_limiter]") {
  gc::core::config cfg;
  cfg.rate_units_sec = 123;
  cfg.project_units_sec = 4567;
  cfg.quota_costs = gc::core::quota_table::legacy;
  auto o = gc::actors::rate_limiter_options_from(cfg);
  CHECK(o.mailbox_units_sec == 123);
  CHECK(o.project_units_sec == 4567);
  CHECK(o.costs == gc::core::quota_table::legacy);
  CHECK(o.inflight_cap == 10);
  CHECK(o.backoff_initial == std::chrono::seconds(1));
  CHECK(o.backoff_max == std::chrono::seconds(64));
  CHECK(o.slot_timeout == std::chrono::minutes(5));
}

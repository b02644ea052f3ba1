// rate_limiter throttling (backoff, retry_after, jitter, reset), the safety-net expiry of
// unreleased permits, shutdown, and the per-minute stats ring; deterministic scheduler.
#include "rate_limiter_fixture.hpp"

#include "actors/messages.hpp"

using namespace std::chrono_literals;
using gc::core::gmail_method;
using gc::test::rate_limiter_fixture;

TEST_CASE_METHOD(rate_limiter_fixture,
                 "rate_limiter pauses a throttled mailbox while others continue",
                 "[actors][rate_limiter][throttle]") {
  auto o = options(100);  // 20 calls/s per mailbox
  o.inflight_cap = 0;
  spawn(o);
  acquire_n(60, "a@x.test");
  acquire_n(60, "b@x.test");
  CHECK(log->count("a@x.test") == 20);
  CHECK(log->count("b@x.test") == 20);
  throttle("a@x.test");
  auto a = box("a@x.test");
  CHECK(a.paused_ms == 1000);  // Google: start at least one second after the error
  CHECK(a.throttles == 1);
  CHECK(a.backoff_level == 1);
  CHECK_FALSE(a.paused_until.empty());
  CHECK(box("b@x.test").paused_ms == 0);
  run_for(1s);
  CHECK(log->count("a@x.test") == 20);  // nothing during the pause
  CHECK(log->count("b@x.test") == 40);  // b kept its pace
  CHECK(box("a@x.test").paused_ms == 0);
  run_for(500ms);
  // a resumes at the paced rate (first at 1.05 s), not with a burst of 20.
  CHECK(log->count("a@x.test") == 30);
  CHECK(log->count("b@x.test") == 50);
  for (const auto& g : log->grants)
    if (g.p.mailbox == "a@x.test" && g.at > 0s)
      CHECK(g.at >= 1050ms);
  CHECK(max_pending == 1);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter backoff doubles, caps and resets",
                 "[actors][rate_limiter][throttle]") {
  auto o = options(1000);
  o.inflight_cap = 0;
  o.backoff_max = 4s;
  o.reset_after_successes = 2;
  spawn(o);
  throttle("a@x.test");
  throttle("a@x.test");  // the same burst of 429s: no extra step
  CHECK(box("a@x.test").paused_ms == 1000);
  CHECK(box("a@x.test").backoff_level == 1);
  CHECK(box("a@x.test").throttles == 2);
  run_for(1s);
  throttle("a@x.test");
  CHECK(box("a@x.test").paused_ms == 2000);
  run_for(2s);
  throttle("a@x.test");
  CHECK(box("a@x.test").paused_ms == 4000);
  run_for(4s);
  throttle("a@x.test");
  CHECK(box("a@x.test").paused_ms == 4000);  // capped
  CHECK(box("a@x.test").backoff_level == 4);
  // A permit granted before the last throttle does not count as a success.
  run_for(4s);
  acquire_n(3, "a@x.test");
  run_for(1s);
  REQUIRE(log->grants.size() == 3);
  throttle("a@x.test");  // level 5, pause 4 s
  run_for(4s);
  release(log->grants[0].p.id);
  release(log->grants[1].p.id);
  CHECK(box("a@x.test").backoff_level == 5);
  // Two calls granted after it complete fine: healthy again, the next pause is 1 s.
  acquire_n(2, "a@x.test");
  run_for(100ms);
  REQUIRE(log->grants.size() == 5);
  release(log->grants[3].p.id);
  CHECK(box("a@x.test").backoff_level == 5);
  release(log->grants[4].p.id);
  CHECK(box("a@x.test").backoff_level == 0);
  throttle("a@x.test");
  CHECK(box("a@x.test").paused_ms == 1000);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter honours retry_after when later",
                 "[actors][rate_limiter][throttle]") {
  auto o = options(1000);  // messages.get every 5 ms
  spawn(o);
  throttle("a@x.test", caf::timespan{10s});
  CHECK(box("a@x.test").paused_ms == 10000);
  acquire("a@x.test");
  run_for(10s);
  CHECK(log->grants.empty());
  run_for(5ms);
  REQUIRE(log->grants.size() == 1);
  CHECK(log->grants[0].at == 10005ms);

  throttle("b@x.test", caf::timespan{300ms});  // shorter than the backoff: backoff wins
  CHECK(box("b@x.test").paused_ms == 1000);
  throttle("b@x.test", caf::timespan{3s});  // while paused: extends, no extra step
  CHECK(box("b@x.test").paused_ms == 3000);
  CHECK(box("b@x.test").backoff_level == 1);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter jitter is bounded and seeded",
                 "[actors][rate_limiter][throttle]") {
  auto o = options(1000);
  o.jitter = 1s;
  o.seed = 7;
  std::vector<int64_t> first, second;
  for (auto* out : {&first, &second}) {
    spawn(o);
    for (int i = 0; i < 3; ++i) {
      throttle("a@x.test");
      auto ms = box("a@x.test").paused_ms;
      const int64_t base = 1000 << i;
      CHECK(ms >= base);
      CHECK(ms <= base + 1000);
      out->push_back(ms);
      run_for(std::chrono::milliseconds(ms + 1));
    }
    (*self)->send_exit(lim, caf::exit_reason::user_shutdown);
    sched->run();
  }
  CHECK(first == second);
  CHECK((first[0] != 1000 || first[1] != 2000 || first[2] != 4000));  // some jitter
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter reclaims permits never released",
                 "[actors][rate_limiter]") {
  auto o = options(1000);
  o.inflight_cap = 1;
  spawn(o);
  acquire("a@x.test");
  acquire("a@x.test");
  REQUIRE(log->grants.size() == 1);
  run_for(5min - 1ns);
  CHECK(log->grants.size() == 1);
  run_for(1ns);
  REQUIRE(log->grants.size() == 2);
  CHECK(log->grants[1].at == 5min);
  auto s = stats();
  CHECK(s.expired_permits == 1);
  CHECK(s.mailboxes.at(0).expired == 1);
  CHECK(s.mailboxes.at(0).in_flight == 1);
  CHECK(s.permits_out == 1);
  release(log->grants[0].p.id);  // too late: already reclaimed
  CHECK(stats().unknown_releases == 1);
  CHECK(box("a@x.test").in_flight == 1);
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter fails parked requests on shutdown",
                 "[actors][rate_limiter]") {
  auto o = options(1000);
  o.inflight_cap = 1;
  spawn(o);
  acquire("a@x.test");
  const int parked = acquire("a@x.test");
  (*self)->send_exit(lim, caf::exit_reason::user_shutdown);
  sched->run();
  REQUIRE(log->errors.size() == 1);
  CHECK(log->errors[0].first == parked);
  CHECK(gc::actors::error_code(log->errors[0].second) == "unavailable");
}

TEST_CASE_METHOD(rate_limiter_fixture, "rate_limiter stats keep the last hour per minute",
                 "[actors][rate_limiter]") {
  auto o = options(1000);
  spawn(o);
  acquire("a@x.test", gmail_method::messages_get, 10);  // 50 units
  acquire("b@x.test", gmail_method::messages_list);     // 5 units
  auto s = stats();
  CHECK(s.project_granted_units == 55);
  CHECK(s.project_units_last_hour == 55);
  CHECK(s.mailbox_units_sec == 1000);
  CHECK(s.inflight_cap == 10);
  CHECK(s.permits_out == 2);
  REQUIRE(s.mailboxes.size() == 2);
  CHECK(s.mailboxes[0].mailbox == "a@x.test");
  CHECK(s.mailboxes[0].units_last_hour == 50);
  CHECK(s.mailboxes[0].granted_calls == 10);
  CHECK(s.mailboxes[0].in_flight == 10);
  REQUIRE(s.mailboxes[0].per_minute.size() == 60);
  CHECK(s.mailboxes[0].per_minute.back() == 50);
  CHECK(s.mailboxes[0].tokens == Approx(950));
  run_for(30min);
  acquire("a@x.test", gmail_method::messages_get, 2);
  CHECK(box("a@x.test").units_last_hour == 60);
  run_for(31min);
  auto later = stats();
  CHECK(later.clock_ns - s.clock_ns == std::chrono::nanoseconds(61min).count());
  CHECK(later.mailboxes[0].units_last_hour == 10);  // the first minute has left the window
  CHECK(later.mailboxes[0].granted_units == 60);
  CHECK(later.project_units_last_hour == 10);
}

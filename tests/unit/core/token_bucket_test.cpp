// core/token_bucket: exact integer pacing, debt for oversized requests, the 60-minute ring
// and the backoff steps. Pure math on explicit time points: no clocks, no sleeps.
#include "core/token_bucket.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using gc::core::backoff_delay;
using gc::core::minute_ring;
using gc::core::token_bucket;
using tp = token_bucket::time_point;

namespace {
const tp t0 = tp{} + 1000h;  // any fixed origin
}

TEST_CASE("token_bucket starts full and refills at the exact rate", "[core][token_bucket]") {
  token_bucket b{100, 100, t0};  // 100 units/s, 1 s burst
  CHECK(b.level(t0) == Approx(100));
  for (int i = 0; i < 20; ++i) {
    REQUIRE(b.can_take(5, t0));
    b.take(5, t0);
  }
  CHECK_FALSE(b.can_take(5, t0));
  CHECK(b.wait_time(5, t0) == 50ms);         // 5 units at 100 units/s
  CHECK(b.wait_time(5, t0 + 20ms) == 30ms);
  CHECK_FALSE(b.can_take(5, t0 + 50ms - 1ns));
  CHECK(b.can_take(5, t0 + 50ms));
  CHECK(b.level(t0 + 10s) == Approx(100));   // never above capacity
}

TEST_CASE("token_bucket paces thousands of takes without drift", "[core][token_bucket]") {
  SECTION("integral rate") {
    token_bucket b{100, 100, t0};
    tp t = t0;
    for (int i = 0; i < 20 + 10000; ++i) {
      t += b.wait_time(5, t);
      b.take(5, t);
    }
    CHECK(t - t0 == 500s);  // 10000 takes of 5 after the initial burst: 50,000 units / 100 per s
  }
  SECTION("fractional rate") {
    token_bucket b{150.5, 150.5, t0};
    tp t = t0;
    const int n = 30000;
    for (int i = 0; i < n; ++i) {
      t += b.wait_time(5, t);
      b.take(5, t);
    }
    // (n * 5 - 150.5) units at 150.5 units/s, to the nanosecond (each wait rounds up by <1 ns
    // but the surplus stays in the bucket).
    const auto expected = std::chrono::nanoseconds(
      static_cast<int64_t>((n * 5.0 - 150.5) / 150.5 * 1e9));
    CHECK(std::chrono::abs(t - t0 - expected) <= 2ns);
  }
}

TEST_CASE("token_bucket grants an oversized request when full and carries the debt",
          "[core][token_bucket]") {
  token_bucket b{150, 150, t0};
  b.take(10, t0);
  CHECK_FALSE(b.can_take(1000, t0));           // needs a full bucket: min(1000, 150)
  CHECK(b.wait_time(1000, t0) == std::chrono::nanoseconds(66666667));  // 10 units at 150/s
  const tp full = t0 + 1s;
  REQUIRE(b.can_take(1000, full));
  b.take(1000, full);
  CHECK(b.level(full) == Approx(-850));
  // The next 5 units wait for the debt to be repaid too: 855 / 150 s.
  CHECK(b.wait_time(5, full) == std::chrono::nanoseconds(5700000000));
}

TEST_CASE("token_bucket ignores time going backwards", "[core][token_bucket]") {
  token_bucket b{10, 10, t0};
  b.take(10, t0 + 1s);
  CHECK(b.level(t0) == Approx(0));
  b.take(0, t0);
  CHECK(b.wait_time(1, t0 + 1s) == 100ms);
}

TEST_CASE("token_bucket empty_until delays the refill", "[core][token_bucket]") {
  token_bucket b{100, 100, t0};
  b.take(30, t0);
  b.empty_until(t0 + 2s, t0 + 100ms);
  CHECK(b.level(t0 + 1s) == Approx(0));
  CHECK_FALSE(b.can_take(5, t0 + 2s));
  CHECK(b.wait_time(5, t0 + 1s) == 1050ms);   // 1 s to the end of the hold + 50 ms refill
  CHECK(b.can_take(5, t0 + 2050ms));
  b.take(200, t0 + 3s);                        // in debt: -100
  b.empty_until(t0 + 4s, t0 + 3s);             // the debt is kept
  CHECK(b.level(t0 + 4s) == Approx(-100));
  CHECK(b.wait_time(5, t0 + 4s) == 1050ms);
}

TEST_CASE("minute_ring keeps 60 per-minute totals", "[core][token_bucket]") {
  minute_ring r;
  const tp m0 = tp{} + 10000min;  // aligned to a minute
  r.add(5, m0);
  r.add(7, m0 + 30s);
  r.add(10, m0 + 1min);
  r.add(1, m0 + 59min);
  CHECK(r.last_hour(m0 + 59min) == 23);
  auto pm = r.per_minute(m0 + 59min);
  REQUIRE(pm.size() == 60);
  CHECK(pm.front() == 12);   // minute m0, oldest
  CHECK(pm[1] == 10);
  CHECK(pm.back() == 1);     // current minute
  CHECK(r.last_hour(m0 + 60min) == 11);   // minute m0 dropped out
  r.add(3, m0 + 60min);                   // reuses m0's slot
  CHECK(r.per_minute(m0 + 60min).back() == 3);
  CHECK(r.last_hour(m0 + 60min) == 14);
  CHECK(r.last_hour(m0 + 200min) == 0);
}

TEST_CASE("backoff_delay doubles from the initial value up to the cap", "[core][token_bucket]") {
  CHECK(backoff_delay(1, 1s, 64s) == 1s);
  CHECK(backoff_delay(2, 1s, 64s) == 2s);
  CHECK(backoff_delay(3, 1s, 64s) == 4s);
  CHECK(backoff_delay(7, 1s, 64s) == 64s);
  CHECK(backoff_delay(8, 1s, 64s) == 64s);
  CHECK(backoff_delay(1000, 1s, 64s) == 64s);
  CHECK(backoff_delay(3, 1s, 3s) == 3s);
  CHECK(backoff_delay(0, 1s, 64s) == 1s);
}

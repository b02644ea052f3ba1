#pragma once
// Pure pacing math for the rate limiter (no I/O, no actors): a token bucket in Gmail quota
// units, a 60-minute ring of per-minute totals, and the exponential backoff step.
//
// token_bucket is exact: it keeps its level in pico-units (1e-12 unit) and its rate in
// milli-units per second, so the level grows by exactly `rate_mu` per elapsed nanosecond and
// wait_time() is the exact (rounded-up) nanosecond at which a request fits. No floating point
// drift: 100 units/s and cost 5 give a permit every 50 ms exactly, forever.
//
// Debt: a request larger than the capacity would never fit, so a request fits once the level
// reaches min(units, capacity); take() then subtracts the full amount and the level may go
// negative. Later requests repay the debt, so the long-run rate is still exactly `rate`.
#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace gc::core {

class token_bucket {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using duration = std::chrono::nanoseconds;

  // units_per_sec > 0 and capacity_units > 0 (clamped to at least 1e-3 unit/s and
  // 1e-3 unit). The bucket starts full at `now`.
  token_bucket(double units_per_sec, double capacity_units, time_point now);

  // Whether `units` may be taken at `now` (level >= min(units, capacity)).
  bool can_take(int64_t units, time_point now) const;
  // Time from `now` until can_take(units) holds; zero when it already does.
  duration wait_time(int64_t units, time_point now) const;
  // Refills up to `now` and subtracts `units` (the level may go negative: debt).
  void take(int64_t units, time_point now);

  // Empties the bucket (a debt is kept) and refills only from `t` on: after a throttle the
  // mailbox resumes at the paced rate instead of with a burst. Earlier t than the last
  // update only empties.
  void empty_until(time_point t, time_point now);

  // Level at `now` in units (negative while in debt).
  double level(time_point now) const;
  double rate() const { return static_cast<double>(rate_mu_) / 1000.0; }
  double capacity() const { return static_cast<double>(cap_pu_) / 1e12; }

private:
  int64_t level_pu_at(time_point now) const;
  int64_t need_pu(int64_t units) const;

  int64_t rate_mu_;   // milli-units per second == pico-units per nanosecond
  int64_t cap_pu_;    // capacity, pico-units
  int64_t level_pu_;  // level at last_, pico-units; <= cap_pu_
  time_point last_;
};

// Units per minute over the last 60 minutes (the status page's "quota units used in the last
// hour"). Minutes are counted on the clock's own epoch; a slot is reused once it is 60
// minutes old.
class minute_ring {
public:
  using time_point = std::chrono::steady_clock::time_point;
  static constexpr int minutes = 60;

  void add(int64_t units, time_point now);
  // Sum of the current minute and the 59 before it.
  int64_t last_hour(time_point now) const;
  // 60 totals, oldest first; the last entry is the current (partial) minute.
  std::vector<int64_t> per_minute(time_point now) const;

private:
  static int64_t minute_of(time_point t);
  std::array<int64_t, minutes> units_{};
  std::array<int64_t, minutes> stamp_{};  // minute number + 1 of each slot; 0 = never used
};

// The pause after the n-th consecutive throttle (n >= 1): initial * 2^(n-1), at most `max`.
std::chrono::nanoseconds backoff_delay(int n, std::chrono::nanoseconds initial,
                                       std::chrono::nanoseconds max);

} // namespace gc::core

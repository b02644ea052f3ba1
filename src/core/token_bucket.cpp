#include "core/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::core {

namespace {

constexpr double pico = 1e12;
// Keeps every level and capacity far from int64 overflow (~9.2e6 units).
constexpr int64_t max_pu = std::numeric_limits<int64_t>::max() / 4;

int64_t ceil_div(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

} // namespace

token_bucket::token_bucket(double units_per_sec, double capacity_units, time_point now)
    : rate_mu_{std::max<int64_t>(1, std::llround(units_per_sec * 1000.0))},
      cap_pu_{std::clamp<int64_t>(std::llround(std::min(capacity_units, 9e6) * pico),
                                  static_cast<int64_t>(1e9), max_pu)},
      level_pu_{cap_pu_},
      last_{now} {}

int64_t token_bucket::level_pu_at(time_point now) const {
  if (now <= last_)
    return level_pu_;
  const int64_t elapsed = std::chrono::duration_cast<duration>(now - last_).count();
  const int64_t deficit = cap_pu_ - level_pu_;
  if (deficit <= 0 || elapsed >= ceil_div(deficit, rate_mu_))
    return cap_pu_;
  return level_pu_ + elapsed * rate_mu_;  // < deficit + rate_mu_: no overflow
}

int64_t token_bucket::need_pu(int64_t units) const {
  const int64_t want = units <= 0 ? 0
                       : units >= max_pu / static_cast<int64_t>(pico)
                         ? max_pu
                         : units * static_cast<int64_t>(pico);
  return std::min(want, cap_pu_);
}

bool token_bucket::can_take(int64_t units, time_point now) const {
  return level_pu_at(now) >= need_pu(units);
}

token_bucket::duration token_bucket::wait_time(int64_t units, time_point now) const {
  const auto refill = duration{ceil_div(need_pu(units) - level_pu_at(now), rate_mu_)};
  if (now < last_ && refill.count() > 0)  // refilling starts at last_ (empty_until)
    return std::chrono::duration_cast<duration>(last_ - now) + refill;
  return refill;
}

void token_bucket::empty_until(time_point t, time_point now) {
  level_pu_ = std::min<int64_t>(level_pu_at(now), 0);
  last_ = std::max({last_, now, t});
}

void token_bucket::take(int64_t units, time_point now) {
  level_pu_ = level_pu_at(now);
  if (now > last_)
    last_ = now;
  const int64_t want = units <= 0 ? 0 : std::min(units, max_pu / static_cast<int64_t>(pico));
  level_pu_ = std::max(level_pu_ - want * static_cast<int64_t>(pico), -max_pu);
}

double token_bucket::level(time_point now) const {
  return static_cast<double>(level_pu_at(now)) / pico;
}

int64_t minute_ring::minute_of(time_point t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

void minute_ring::add(int64_t units, time_point now) {
  const int64_t m = minute_of(now);
  auto& slot = units_[static_cast<size_t>(((m % minutes) + minutes) % minutes)];
  auto& stamp = stamp_[static_cast<size_t>(((m % minutes) + minutes) % minutes)];
  if (stamp != m + 1) {
    stamp = m + 1;
    slot = 0;
  }
  slot += units;
}

std::vector<int64_t> minute_ring::per_minute(time_point now) const {
  const int64_t cur = minute_of(now);
  std::vector<int64_t> out(minutes, 0);
  for (int64_t k = 0; k < minutes; ++k) {
    const int64_t m = cur - (minutes - 1) + k;
    const auto i = static_cast<size_t>(((m % minutes) + minutes) % minutes);
    if (stamp_[i] == m + 1)
      out[static_cast<size_t>(k)] = units_[i];
  }
  return out;
}

int64_t minute_ring::last_hour(time_point now) const {
  int64_t sum = 0;
  for (auto x : per_minute(now))
    sum += x;
  return sum;
}

std::chrono::nanoseconds backoff_delay(int n, std::chrono::nanoseconds initial,
                                       std::chrono::nanoseconds max) {
  if (n <= 1 || initial >= max)
    return std::min(initial, max);
  auto d = initial;
  for (int i = 1; i < n && d < max; ++i)
    d = d > max / 2 ? max : d * 2;
  return std::min(d, max);
}

} // namespace gc::core

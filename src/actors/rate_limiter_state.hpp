#pragma once
// Internal to the rate_limiter (rate_limiter.cpp, rate_limiter_stats.cpp): its state.
#include "actors/rate_limiter.hpp"
#include "core/token_bucket.hpp"

#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace gc::actors::detail {

using time_point = caf::actor_clock::time_point;

struct waiter {  // a parked acquire request
  caf::typed_response_promise<permit> rp;
  int32_t count;
  int64_t units;
};

struct slot {  // an unreleased permit
  size_t box;
  int32_t count;
  time_point granted_at;
  uint64_t throttle_seq;  // the mailbox's throttle_seq when granted
};

struct mailbox {
  mailbox(std::string n, core::token_bucket b) : name{std::move(n)}, bucket{b} {}
  std::string name;
  core::token_bucket bucket;
  std::deque<waiter> queue;
  int32_t in_flight = 0;     // inner calls of unreleased permits
  time_point paused_until{};
  int32_t level = 0;         // consecutive backoff steps
  int32_t successes = 0;     // releases of permits granted since the last throttle
  uint64_t throttle_seq = 0;
  int64_t granted_units = 0, granted_calls = 0, permits = 0, throttles = 0, expired = 0;
  core::minute_ring ring;
};

} // namespace gc::actors::detail

namespace gc::actors {

struct rate_limiter_state {
  rate_limiter_options opts;
  std::vector<detail::mailbox> boxes;  // round-robin order = order of first appearance
  std::unordered_map<std::string, size_t> index;
  std::optional<core::token_bucket> project;
  core::minute_ring project_ring;
  int64_t project_granted = 0, wakeups = 0, expired = 0, unknown_releases = 0;
  std::map<uint64_t, detail::slot> slots;
  uint64_t next_permit = 1;
  size_t rr = 0;                             // whose turn it is at the project bucket
  std::multiset<detail::time_point> timers;  // pending wake-ups
  std::mt19937_64 rng;
  static inline const char* name = "rate_limiter";
};

namespace detail {
// The stats reply at `now` (rate_limiter_stats.cpp).
limiter_stats make_stats(const rate_limiter_state& st, time_point now);
} // namespace detail

} // namespace gc::actors

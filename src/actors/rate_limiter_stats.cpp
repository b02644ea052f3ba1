// The rate_limiter's stats reply (split from rate_limiter.cpp for size).
#include "actors/rate_limiter_state.hpp"
#include "core/clock.hpp"

namespace gc::actors::detail {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

mailbox_quota_stats box_stats(const mailbox& m, time_point now) {
  mailbox_quota_stats s;
  s.mailbox = m.name;
  s.granted_units = m.granted_units;
  s.granted_calls = m.granted_calls;
  s.permits = m.permits;
  s.in_flight = m.in_flight;
  s.queued = static_cast<int32_t>(m.queue.size());
  for (const auto& w : m.queue)
    s.queued_units += w.units;
  if (now < m.paused_until) {
    const auto left = m.paused_until - now;
    s.paused_ms = duration_cast<milliseconds>(left).count();
    s.paused_until = core::iso8601_utc(
      std::chrono::system_clock::now() + duration_cast<std::chrono::system_clock::duration>(left));
  }
  s.throttles = m.throttles;
  s.backoff_level = m.level;
  s.expired = m.expired;
  s.per_minute = m.ring.per_minute(now);
  s.units_last_hour = m.ring.last_hour(now);
  s.tokens = m.bucket.level(now);
  return s;
}

} // namespace

limiter_stats make_stats(const rate_limiter_state& st, time_point now) {
  limiter_stats s;
  s.clock_ns = duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  s.mailbox_units_sec = st.opts.mailbox_units_sec;
  s.project_units_sec = st.opts.project_units_sec;
  s.inflight_cap = st.opts.inflight_cap;
  s.project_granted_units = st.project_granted;
  s.project_units_last_hour = st.project_ring.last_hour(now);
  s.project_tokens = st.project ? st.project->level(now) : 0.0;
  s.permits_out = static_cast<int64_t>(st.slots.size());
  s.wakeups = st.wakeups;
  s.timers_pending = static_cast<int32_t>(st.timers.size());
  s.expired_permits = st.expired;
  s.unknown_releases = st.unknown_releases;
  for (const auto& m : st.boxes)
    s.mailboxes.push_back(box_stats(m, now));
  return s;
}

} // namespace gc::actors::detail

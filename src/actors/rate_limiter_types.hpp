#pragma once
// Message types of the rate_limiter actor (see actors/rate_limiter.hpp). Included by
// actors/messages.hpp before the project's type-ID block, which lists them.
#include "core/quota_costs.hpp"

#include <caf/all.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace gc::actors {

// A grant to make one Gmail HTTP call (a single call, or one batch of `count` inner calls).
// The holder MUST send (release_atom, id) when the call has completed, whatever the outcome.
struct permit {
  uint64_t id = 0;        // 0 never names a permit
  std::string mailbox;
  int64_t units = 0;      // quota units charged: cost(method) * count
  int32_t count = 0;      // inner calls covered (in-flight slots held)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, permit& x) {
  return f(caf::meta::type_name("permit"), x.id, x.mailbox, x.units, x.count);
}

// One mailbox in limiter_stats. Counters are totals since the limiter started.
struct mailbox_quota_stats {
  std::string mailbox;
  int64_t granted_units = 0;      // quota units granted
  int64_t granted_calls = 0;      // inner calls granted
  int64_t permits = 0;            // permits granted
  int32_t in_flight = 0;          // inner calls in flight (slots held by unreleased permits)
  int32_t queued = 0;             // parked acquire requests
  int64_t queued_units = 0;       // units those requests ask for
  int64_t paused_ms = 0;          // remaining pause after a throttle; 0 = not paused
  std::string paused_until;       // ISO-8601 UTC estimate of the pause end; empty = none
  int64_t throttles = 0;          // throttle reports received
  int32_t backoff_level = 0;      // consecutive backoff steps (0 = healthy)
  int64_t expired = 0;            // permits reclaimed by the safety-net timeout
  int64_t units_last_hour = 0;    // sum of per_minute
  std::vector<int64_t> per_minute;  // 60 per-minute unit totals, oldest first, current last
  double tokens = 0;              // bucket level now (negative while repaying a large grant)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mailbox_quota_stats& x) {
  return f(caf::meta::type_name("mailbox_quota_stats"), x.mailbox, x.granted_units,
           x.granted_calls, x.permits, x.in_flight, x.queued, x.queued_units, x.paused_ms,
           x.paused_until, x.throttles, x.backoff_level, x.expired, x.units_last_hour,
           x.per_minute, x.tokens);
}

// Reply to (stats_atom). clock_ns is the actor clock (steady) at the snapshot: the granted
// units of one mailbox over a window = difference of granted_units between two snapshots
// divided by the difference of clock_ns.
struct limiter_stats {
  int64_t clock_ns = 0;
  double mailbox_units_sec = 0;     // configured per-mailbox rate
  double project_units_sec = 0;     // configured project rate
  int32_t inflight_cap = 0;
  int64_t project_granted_units = 0;
  int64_t project_units_last_hour = 0;
  double project_tokens = 0;
  int64_t permits_out = 0;          // permits granted and not yet released or expired
  int64_t wakeups = 0;              // timer wake-ups handled (pacing, pauses, expiry)
  int32_t timers_pending = 0;       // scheduled wake-ups not yet received (normally 0 or 1)
  int64_t expired_permits = 0;      // reclaimed by the safety-net timeout, all mailboxes
  int64_t unknown_releases = 0;     // releases of unknown/expired/already released permits
  std::vector<mailbox_quota_stats> mailboxes;  // in order of first appearance
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, limiter_stats& x) {
  return f(caf::meta::type_name("limiter_stats"), x.clock_ns, x.mailbox_units_sec,
           x.project_units_sec, x.inflight_cap, x.project_granted_units,
           x.project_units_last_hour, x.project_tokens, x.permits_out, x.wakeups,
           x.timers_pending, x.expired_permits, x.unknown_releases, x.mailboxes);
}

} // namespace gc::actors

#pragma once
// rate_limiter: paces every Gmail call (design.md "Actors"; gmail-api.md §3).
//
// Three limits, all per call:
//   * a per-mailbox token bucket in quota units/s (CRM_GMAIL_RATE_UNITS_SEC; capacity =
//     rate * burst, default 1 s worth),
//   * a project-wide bucket shared by all mailboxes (CRM_GMAIL_PROJECT_UNITS_SEC),
//   * a per-mailbox cap on inner calls in flight (default 10: Gmail answers 429 "Too many
//     concurrent requests for user" beyond ~10; batch inner calls run concurrently, so a
//     permit for a batch of n holds n slots. A request with count > cap is granted alone,
//     when nothing else is in flight for that mailbox: keep batches <= inflight_cap).
// A request costs quota_cost(costs, method) * count units. Requests larger than a bucket's
// capacity are granted when the bucket is full and leave it in debt (core/token_bucket.hpp).
//
// Queueing: a request that cannot be granted at once is parked and its mailbox's requests are
// served strictly FIFO. The project bucket is shared round robin: the mailboxes whose own
// limits allow their head request take turns; when the turn-holder's head does not fit the
// project bucket, nobody jumps ahead of it. No polling: the actor keeps one delayed wake-up
// at the earliest instant something can change (a refill reaching the head's need, a pause
// end, a safety-net expiry). A wake-up superseded by an earlier one is a harmless no-op.
//
// Throttling: after a 429 or rate-limit 403, report (throttle_atom, mailbox[, retry_after]).
// The mailbox grants nothing until now + backoff: 1 s, doubling per consecutive throttle up
// to 64 s, plus a jitter drawn from [0, jitter] (seeded: deterministic in tests), or until
// now + retry_after when that is later; its bucket refills only from then on (no burst).
// Throttles arriving while already paused (the other calls of the same burst) extend the
// pause to retry_after but do not double the backoff. The backoff level resets after
// `reset_after_successes` releases of permits granted since the last throttle. Other
// mailboxes are unaffected. Report the throttle BEFORE releasing the throttled call's
// permit, or that release counts as a success.
//
// Contract: every permit must be released exactly once (release_atom), also on errors and
// timeouts. A requester that gave up waiting (request timeout) may still be granted a permit
// later (CAF delivers to the promise regardless); that slot is reclaimed only by the safety
// net, which expires permits not released within `slot_timeout` (default 5 min) and logs it.
//
// Messages (typed, rate_limiter_actor):
//   (acquire_atom, mailbox, gmail_method, int32 count) -> permit   count in [1, 1000], else
//                                                     sec::invalid_argument
//   (release_atom, uint64 permit_id)                  frees the permit's in-flight slots
//   (throttle_atom, mailbox)                          pause with backoff
//   (throttle_atom, mailbox, caf::timespan retry_after) pause at least retry_after
//   (stats_atom) -> limiter_stats
//   (wake_atom)                                       internal (delayed self-send)
// On exit, parked requests fail with errc::unavailable.
#include "actors/messages.hpp"
#include "core/config.hpp"

#include <chrono>
#include <cstdint>

namespace gc::actors {

using rate_limiter_actor = caf::typed_actor<
  caf::replies_to<acquire_atom, std::string, core::gmail_method, int32_t>::with<permit>,
  caf::reacts_to<release_atom, uint64_t>,
  caf::reacts_to<throttle_atom, std::string>,
  caf::reacts_to<throttle_atom, std::string, caf::timespan>,
  caf::replies_to<stats_atom>::with<limiter_stats>,
  caf::reacts_to<wake_atom>>;

struct rate_limiter_options {
  double mailbox_units_sec = 150;                   // CRM_GMAIL_RATE_UNITS_SEC
  double project_units_sec = 20000;                 // CRM_GMAIL_PROJECT_UNITS_SEC
  caf::timespan burst = std::chrono::seconds(1);    // bucket capacity = rate * burst
  core::quota_table costs = core::quota_table::y2026;  // CRM_GMAIL_QUOTA_COSTS
  int32_t inflight_cap = 10;                        // inner calls per mailbox; 0 = no cap
  caf::timespan backoff_initial = std::chrono::seconds(1);
  caf::timespan backoff_max = std::chrono::seconds(64);
  caf::timespan jitter = std::chrono::seconds(1);   // max extra pause; 0 = none
  uint64_t seed = 0;                                // jitter RNG seed; 0 = random
  int32_t reset_after_successes = 3;
  caf::timespan slot_timeout = std::chrono::minutes(5);
};

// The options the service runs with: rates and cost table from the configuration.
rate_limiter_options rate_limiter_options_from(const core::config& cfg);

struct rate_limiter_state;  // defined in rate_limiter.cpp

rate_limiter_actor::behavior_type
rate_limiter(rate_limiter_actor::stateful_pointer<rate_limiter_state> self,
             rate_limiter_options opts);

// Spawns the limiter (cooperatively scheduled: it never blocks). The second form spawns from
// `parent` (the supervisor) and returns it untyped, as child_factory wants; actor_cast it
// back with caf::actor_cast<rate_limiter_actor>(h).
rate_limiter_actor spawn_rate_limiter(caf::actor_system& sys, rate_limiter_options opts);
caf::actor spawn_rate_limiter(caf::local_actor* parent, rate_limiter_options opts);

// The conventional supervisor child name of the limiter.
inline constexpr const char* rate_limiter_name = "rate_limiter";

} // namespace gc::actors

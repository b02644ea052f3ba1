#pragma once
// A rate_limiter on CAF's deterministic test_coordinator (style.md §1.7). Requests come from
// tiny client actors that log the permit (or error) and its arrival time: parked requests
// never block the test.
#include "actors/rate_limiter.hpp"

#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace gc::test {

using namespace std::chrono_literals;
using actors::permit;
using core::gmail_method;

struct rl_grant {
  int tag;
  permit p;
  caf::timespan at;  // since the fixture's start
};

struct rl_log {
  std::vector<rl_grant> grants;
  std::vector<std::pair<int, caf::error>> errors;
  long count(const std::string& mailbox) const {
    return std::count_if(grants.begin(), grants.end(),
                         [&](const rl_grant& g) { return g.p.mailbox == mailbox; });
  }
};

struct rate_limiter_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::unique_ptr<caf::scoped_actor> self;
  actors::rate_limiter_actor lim;
  std::shared_ptr<rl_log> log = std::make_shared<rl_log>();
  caf::actor_clock::time_point start;
  int next_tag = 0;

  rate_limiter_fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::gc>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    self = std::make_unique<caf::scoped_actor>(*sys);
    start = sched->clock().now();
  }
  ~rate_limiter_fixture() {
    if (lim)  // parked clients get errors
      (*self)->send_exit(lim, caf::exit_reason::user_shutdown);
    self.reset();
    sched->run();
  }

  // Options with deterministic defaults: legacy costs (messages.get = 5), no jitter.
  static actors::rate_limiter_options options(double mailbox_rate, double project_rate = 1e5) {
    actors::rate_limiter_options o;
    o.mailbox_units_sec = mailbox_rate;
    o.project_units_sec = project_rate;
    o.costs = core::quota_table::legacy;
    o.jitter = caf::timespan{0};
    o.seed = 42;
    return o;
  }
  void spawn(actors::rate_limiter_options o) {
    lim = actors::spawn_rate_limiter(*sys, o);
    sched->run();
  }

  // Sends acquire from a new client actor; returns the tag its grant/error is logged with.
  int acquire(const std::string& mailbox, gmail_method m = gmail_method::messages_get,
              int32_t count = 1) {
    const int tag = next_tag++;
    auto l = log;
    auto* clk = &sched->clock();
    sys->spawn([=, lim_h = lim, t0 = start](caf::event_based_actor* client) {
      client->request(lim_h, caf::infinite, actors::acquire_atom_v, mailbox, m, count)
        .then([=](permit& p) { l->grants.push_back({tag, p, clk->now() - t0}); },
              [=](caf::error& e) { l->errors.emplace_back(tag, e); });
    });
    sched->run();
    return tag;
  }
  void acquire_n(int n, const std::string& mailbox) {
    while (n-- > 0)
      acquire(mailbox);
  }

  void release(uint64_t id) {
    (*self)->send(lim, actors::release_atom_v, id);
    sched->run();
  }
  void throttle(const std::string& mailbox, std::optional<caf::timespan> retry_after = {}) {
    retry_after ? (*self)->send(lim, actors::throttle_atom_v, mailbox, *retry_after)
                : (*self)->send(lim, actors::throttle_atom_v, mailbox);
    sched->run();
  }

  actors::limiter_stats stats() {
    auto h = (*self)->request(lim, caf::infinite, actors::stats_atom_v);
    sched->run();
    actors::limiter_stats out;
    h.receive([&](actors::limiter_stats& s) { out = std::move(s); },
              [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  actors::mailbox_quota_stats box(const std::string& mailbox) {
    for (auto& b : stats().mailboxes)
      if (b.mailbox == mailbox)
        return b;
    FAIL("no stats for " << mailbox);
    return {};
  }

  size_t pending_timers() { return sched->clock().schedule().size(); }
  // Moves time forward by d, stopping at every scheduled timeout on the way (so each fires
  // at its exact instant) and running all actors after each. max_pending records the most
  // timers ever pending at once.
  size_t max_pending = 0;
  void run_for(caf::timespan d) {
    const auto end = sched->clock().now() + d;
    sched->run();
    max_pending = std::max(max_pending, pending_timers());
    for (;;) {
      const auto& sch = sched->clock().schedule();
      if (sch.empty() || sch.begin()->first > end)
        break;
      const auto t = sch.begin()->first;
      const auto now = sched->clock().now();
      if (t > now)
        sched->clock().advance_time(t - now);
      else
        sched->clock().trigger_timeout();
      sched->run();
      max_pending = std::max(max_pending, pending_timers());
    }
    if (const auto now = sched->clock().now(); now < end)
      sched->clock().advance_time(end - now);
    sched->run();
  }
};

} // namespace gc::test

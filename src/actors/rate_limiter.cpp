#include "actors/rate_limiter.hpp"

#include "actors/rate_limiter_state.hpp"
#include "core/log.hpp"

#include <algorithm>

namespace gc::actors {

namespace {

using detail::mailbox;
using detail::time_point;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr int32_t max_count = 1000;

using pointer = rate_limiter_actor::stateful_pointer<rate_limiter_state>;

mailbox& box_of(pointer self, const std::string& name) {
  auto& st = self->state;
  auto [it, fresh] = st.index.try_emplace(name, st.boxes.size());
  if (fresh) {
    const double capacity =
      st.opts.mailbox_units_sec * std::chrono::duration<double>(st.opts.burst).count();
    st.boxes.emplace_back(name, core::token_bucket{st.opts.mailbox_units_sec, capacity,
                                                   self->clock().now()});
  }
  return st.boxes[it->second];
}

bool slots_allow(const rate_limiter_state& st, const mailbox& m, int32_t count) {
  const auto cap = st.opts.inflight_cap;
  return cap <= 0 || m.in_flight == 0 || m.in_flight + count <= cap;
}

// Its own limits (pause, slots, bucket) let m's head request go now.
bool locally_ready(const rate_limiter_state& st, const mailbox& m, time_point now) {
  if (m.queue.empty() || now < m.paused_until)
    return false;
  const auto& head = m.queue.front();
  return slots_allow(st, m, head.count) && m.bucket.can_take(head.units, now);
}

void grant(pointer self, size_t i, time_point now) {
  auto& st = self->state;
  auto& m = st.boxes[i];
  auto w = std::move(m.queue.front());
  m.queue.pop_front();
  m.bucket.take(w.units, now);
  st.project->take(w.units, now);
  const auto id = st.next_permit++;
  st.slots.emplace(id, detail::slot{i, w.count, now, m.throttle_seq});
  m.in_flight += w.count;
  m.granted_units += w.units;
  m.granted_calls += w.count;
  ++m.permits;
  m.ring.add(w.units, now);
  st.project_granted += w.units;
  st.project_ring.add(w.units, now);
  w.rp.deliver(permit{id, m.name, w.units, w.count});
}

// Reclaims the slots of permits held longer than slot_timeout (requesters that died or
// forgot to release).
void expire_slots(pointer self, time_point now) {
  auto& st = self->state;
  for (auto it = st.slots.begin(); it != st.slots.end();) {
    if (now - it->second.granted_at < st.opts.slot_timeout) {
      ++it;
      continue;
    }
    auto& m = st.boxes[it->second.box];
    m.in_flight -= it->second.count;
    ++m.expired;
    ++st.expired;
    log::warn("rate_limiter: permit {} of {} not released after {} s; slot reclaimed",
              it->first, m.name, duration_cast<std::chrono::seconds>(st.opts.slot_timeout).count());
    it = st.slots.erase(it);
  }
}

// The earliest instant at which mailbox m's head request may become grantable, or nullopt
// when only a release can unblock it (or its queue is empty).
std::optional<time_point> ready_at(const rate_limiter_state& st, size_t i, time_point now,
                                   bool& turn_seen) {
  const auto& m = st.boxes[i];
  if (m.queue.empty())
    return std::nullopt;
  const auto& head = m.queue.front();
  if (now < m.paused_until)
    return m.paused_until;
  if (!slots_allow(st, m, head.count)) {  // only the safety net frees slots without a release
    std::optional<time_point> first;
    for (const auto& [id, s] : st.slots)
      if (s.box == i && (!first || s.granted_at + st.opts.slot_timeout < *first))
        first = s.granted_at + st.opts.slot_timeout;
    return first;
  }
  if (!m.bucket.can_take(head.units, now))
    return now + m.bucket.wait_time(head.units, now);
  if (turn_seen)  // ready but waiting behind the turn-holder at the project bucket
    return std::nullopt;
  turn_seen = true;
  return now + st.project->wait_time(head.units, now);
}

// Schedules a wake-up at t unless one at or before t is already pending.
void arm(pointer self, time_point t, time_point now) {
  auto& st = self->state;
  if (!st.timers.empty() && *st.timers.begin() <= t)
    return;
  st.timers.insert(t);
  self->delayed_send(self, std::max<caf::timespan>(t - now, nanoseconds{1}), wake_atom_v);
}

// Grants whatever can go now, round robin across mailboxes, then arms the next wake-up.
void service(pointer self) {
  auto& st = self->state;
  const auto now = self->clock().now();
  expire_slots(self, now);
  const size_t n = st.boxes.size();
  for (bool progress = n > 0; progress;) {
    progress = false;
    for (size_t k = 0; k < n; ++k) {
      const size_t i = (st.rr + k) % n;
      if (!locally_ready(st, st.boxes[i], now))
        continue;
      if (!st.project->can_take(st.boxes[i].queue.front().units, now))
        break;  // i holds the turn: nobody overtakes it at the project bucket
      grant(self, i, now);
      st.rr = (i + 1) % n;
      progress = true;
      break;
    }
  }
  std::optional<time_point> next;
  bool turn_seen = false;
  for (size_t k = 0; k < n; ++k)
    if (auto t = ready_at(st, (st.rr + k) % n, now, turn_seen); t && (!next || *t < *next))
      next = t;
  if (next)
    arm(self, *next, now);
}

void throttle(pointer self, const std::string& name, caf::timespan retry_after) {
  auto& st = self->state;
  auto& m = box_of(self, name);
  const auto now = self->clock().now();
  ++m.throttles;
  ++m.throttle_seq;
  m.successes = 0;
  if (now >= m.paused_until) {  // a new throttle episode: one more backoff step
    m.level = std::min(m.level + 1, 30);
    auto pause = core::backoff_delay(m.level, st.opts.backoff_initial, st.opts.backoff_max);
    if (const auto j = st.opts.jitter.count(); j > 0)
      pause += nanoseconds{static_cast<int64_t>(st.rng() % static_cast<uint64_t>(j + 1))};
    m.paused_until = now + pause;
  }
  if (retry_after.count() > 0)
    m.paused_until = std::max(m.paused_until, now + retry_after);
  m.bucket.empty_until(m.paused_until, now);  // resume at the paced rate, not in a burst
  log::info("rate_limiter: {} throttled (#{}, level {}), paused {} ms", m.name, m.throttles,
            m.level, duration_cast<milliseconds>(m.paused_until - now).count());
  service(self);
}

void release(pointer self, uint64_t id) {
  auto& st = self->state;
  auto it = st.slots.find(id);
  if (it == st.slots.end()) {
    ++st.unknown_releases;
    return;
  }
  auto& m = st.boxes[it->second.box];
  m.in_flight -= it->second.count;
  if (it->second.throttle_seq == m.throttle_seq && m.level > 0 &&
      ++m.successes >= st.opts.reset_after_successes) {
    m.level = 0;
    m.successes = 0;
  }
  st.slots.erase(it);
  service(self);
}

} // namespace

rate_limiter_options rate_limiter_options_from(const core::config& cfg) {
  rate_limiter_options o;
  o.mailbox_units_sec = cfg.rate_units_sec;
  o.project_units_sec = cfg.project_units_sec;
  o.costs = cfg.quota_costs;
  return o;
}

rate_limiter_actor::behavior_type rate_limiter(pointer self, rate_limiter_options opts) {
  auto& st = self->state;
  st.opts = opts;
  st.rng.seed(opts.seed != 0 ? opts.seed : std::random_device{}());
  st.project.emplace(opts.project_units_sec,
                     opts.project_units_sec * std::chrono::duration<double>(opts.burst).count(),
                     self->clock().now());
  // Parked requesters get an answer instead of waiting forever.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& m : self->state.boxes)
      for (auto& w : m.queue)
        w.rp.deliver(make_gc_error(errc::unavailable, "rate_limiter is shutting down"));
    for (auto& m : self->state.boxes)
      m.queue.clear();
    self->quit(msg.reason);
  });
  return {
    [self](acquire_atom, const std::string& name, core::gmail_method method,
           int32_t count) -> caf::result<permit> {
      if (count < 1 || count > max_count || name.empty())
        return caf::make_error(caf::sec::invalid_argument,
                               "acquire: mailbox must be set and count in [1, 1000]");
      auto& m = box_of(self, name);
      const int64_t units = int64_t{core::quota_cost(self->state.opts.costs, method)} * count;
      auto rp = self->make_response_promise<permit>();
      m.queue.push_back(detail::waiter{rp, count, units});
      service(self);
      return rp;
    },
    [self](release_atom, uint64_t id) { release(self, id); },
    [self](throttle_atom, const std::string& name) { throttle(self, name, caf::timespan{0}); },
    [self](throttle_atom, const std::string& name, caf::timespan retry_after) {
      throttle(self, name, retry_after);
    },
    [self](stats_atom) {
      const auto now = self->clock().now();
      expire_slots(self, now);
      return detail::make_stats(self->state, now);
    },
    [self](wake_atom) {
      auto& st = self->state;
      if (!st.timers.empty())
        st.timers.erase(st.timers.begin());
      ++st.wakeups;
      service(self);
    },
  };
}

rate_limiter_actor spawn_rate_limiter(caf::actor_system& sys, rate_limiter_options opts) {
  return sys.spawn(rate_limiter, opts);
}

caf::actor spawn_rate_limiter(caf::local_actor* parent, rate_limiter_options opts) {
  return caf::actor_cast<caf::actor>(parent->spawn(rate_limiter, opts));
}

} // namespace gc::actors

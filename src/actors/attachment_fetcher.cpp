#include "actors/attachment_fetcher.hpp"

#include "actors/attachment_job.hpp"
#include "actors/messages.hpp"
#include "core/log.hpp"
#include "store/attachments_repo.hpp"
#include "store/read_connection.hpp"

#include <caf/blocking_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <deque>
#include <set>
#include <vector>

namespace gc::actors {
namespace {

// Rows handed to a worker at once (run_attachment_jobs: one read, batched attachments.get,
// one write for them).
constexpr size_t rows_per_job = 10;

struct coordinator_state {
  attachment_env env;
  bool once = false;                      // quit after the first pass (fetch_pending_once)
  std::vector<caf::actor> idle;           // workers without a row
  std::deque<int64_t> queue;              // due row ids not yet handed out
  std::set<int64_t> in_flight;            // handed out, not reported back yet
  std::set<int64_t> tried;                // handed out during this pass
  int64_t read_up_to = 0;                 // the pass has read the due rows up to this id
  bool running = false;
  bool again = false;                     // a fetch_now arrived during the pass
  std::vector<caf::response_promise> waiting, waiting_next;
};
using coordinator_ptr = caf::stateful_actor<coordinator_state>*;

void add(attachment_stats& s, const job_result& r) {
  switch (r.outcome) {
    case job_outcome::deduped: ++s.deduped; [[fallthrough]];
    case job_outcome::stored: ++s.stored; break;
    case job_outcome::too_large: ++s.too_large; break;
    case job_outcome::failed:
    case job_outcome::deferred: ++s.failed; break;
    case job_outcome::skipped: break;
  }
  if (r.refreshed) ++s.refreshed;
}

void worker(caf::blocking_actor* self, attachment_env env) {
  auto stop = env.stopping;
  gmail_gate gate{self->system(), env.limiter, env.gate, [stop] { return stop->load(); }};
  attachment_store files{env.opts.data_dir};
  runtime* rt = env.rt;
  job_deps deps{*env.gmail, gate,
                [rt](runtime::write_fn fn) { return rt->write_sync(std::move(fn), std::chrono::minutes(5)); },
                env.db_path, files, env.opts.max_bytes};
  bool running = true;
  self->receive_while(running)(
      [&](att_job_atom, const std::vector<int64_t>& ids) {
        try {
          for (const auto& [id, r] : run_attachment_jobs(deps, ids)) add(*env.stats, r);
        } catch (const std::exception& e) {
          log::error("attachments: attachments {}..{} threw: {}", ids.front(), ids.back(), e.what());
        }
        self->send(caf::actor_cast<caf::actor>(self->current_sender()), att_done_atom_v, ids);
      },
      [&](caf::exit_msg&) { running = false; });
}

// Tops the queue up from the database when it ran dry: the next due rows of this pass (each
// row is read once per pass; one that becomes due behind the pass's place waits for the next
// pass), neither in flight nor tried.
void refill(coordinator_ptr self) {
  auto& st = self->state;
  if (!st.queue.empty()) return;
  gc::result<std::vector<store::pending_attachment>> rows = gc::error{"sqlite", "not read"};
  try {
    rows = store::attachments_repo{store::read_connection(st.env.db_path)}.pending(st.env.opts.batch, {},
                                                                                    st.read_up_to);
  } catch (const std::exception& e) {  // the database could not be opened
    rows = gc::error{"sqlite", e.what()};
  }
  if (!rows) {
    log::warn("attachments: reading due attachments failed: {}", rows.error().message);
    return;
  }
  for (const auto& r : *rows) {
    st.read_up_to = std::max(st.read_up_to, r.id);
    if (!st.in_flight.count(r.id) && !st.tried.count(r.id)) st.queue.push_back(r.id);
  }
}

void start_pass(coordinator_ptr self);

void dispatch(coordinator_ptr self) {
  auto& st = self->state;
  if (!st.running) return;
  if (!st.env.stopping->load()) {
    refill(self);
    while (!st.idle.empty() && !st.queue.empty()) {
      std::vector<int64_t> ids;
      while (ids.size() < rows_per_job && !st.queue.empty()) {
        auto id = st.queue.front();
        st.queue.pop_front();
        st.tried.insert(id);
        st.in_flight.insert(id);
        ids.push_back(id);
        if (st.queue.empty()) refill(self);
      }
      self->send(st.idle.back(), att_job_atom_v, std::move(ids));
      st.idle.pop_back();
    }
  }
  if (!st.in_flight.empty()) return;
  if (!st.queue.empty() && !st.env.stopping->load()) return;
  // The pass is over.
  st.running = false;
  st.queue.clear();
  for (auto& rp : st.waiting) rp.deliver(caf::ok_atom_v);
  st.waiting.clear();
  if (st.again && !st.env.stopping->load()) {
    st.again = false;
    st.waiting.swap(st.waiting_next);
    start_pass(self);
    return;
  }
  for (auto& rp : st.waiting_next) rp.deliver(caf::ok_atom_v);
  st.waiting_next.clear();
  if (st.once) self->quit();
}

void start_pass(coordinator_ptr self) {
  auto& st = self->state;
  if (st.running) {
    st.again = true;
    return;
  }
  st.running = true;
  st.tried.clear();
  st.read_up_to = 0;
  dispatch(self);
}

caf::behavior coordinator(coordinator_ptr self, attachment_env env, bool once) {
  auto& st = self->state;
  st.env = std::move(env);
  st.once = once;
  if (auto n = attachment_store{st.env.opts.data_dir}.sweep_temp_files(); n > 0)
    log::info("attachments: removed {} temp files left by an interrupted write", n);
  for (int i = 0; i < std::max(1, st.env.opts.concurrency); ++i)
    st.idle.push_back(self->spawn<caf::detached + caf::linked>(worker, st.env));
  self->send(self, fetch_now_atom_v);  // the first pass, once the actor is up
  if (!once) self->delayed_send(self, st.env.opts.interval, att_tick_atom_v);
  return {
      [self](fetch_now_atom) {
        auto& st = self->state;
        if (self->current_message_id().is_request())
          (st.running ? st.waiting_next : st.waiting).push_back(self->make_response_promise());
        start_pass(self);
      },
      [self](synced_atom, int64_t, bool) { start_pass(self); },  // a mailbox_syncer's post-sync hook
      [self](att_tick_atom) {
        if (!self->state.running) start_pass(self);
        self->delayed_send(self, self->state.env.opts.interval, att_tick_atom_v);
      },
      [self](att_done_atom, const std::vector<int64_t>& ids) {
        auto& st = self->state;
        for (auto id : ids) st.in_flight.erase(id);
        st.idle.push_back(caf::actor_cast<caf::actor>(self->current_sender()));
        dispatch(self);
      },
  };
}

} // namespace

attachment_options attachment_options_from(const core::config& cfg) {
  attachment_options o;
  o.data_dir = cfg.data_dir;
  o.max_bytes = static_cast<int64_t>(cfg.max_attachment_mb) << 20;
  o.concurrency = std::max(1, cfg.attach_concurrency);
  return o;
}

attachment_env make_attachment_env(const syncer_env& env, const core::config& cfg) {
  attachment_env out;
  out.gmail = env.gmail;
  out.limiter = env.limiter;
  out.rt = env.rt;
  out.db_path = env.db_path;
  out.gate = env.gate;
  out.stopping = env.stopping;
  out.opts = attachment_options_from(cfg);
  return out;
}

caf::actor spawn_attachment_fetcher(caf::local_actor* parent, attachment_env env) {
  return parent->spawn<caf::detached>(coordinator, std::move(env), false);
}

attachment_counts fetch_pending_once(caf::actor_system& sys, attachment_env env) {
  auto stats = env.stats;
  auto before = stats->snapshot();
  {
    caf::scoped_actor self{sys};
    auto coord = sys.spawn<caf::detached>(coordinator, std::move(env), true);
    self->wait_for(coord);
  }
  auto after = stats->snapshot();
  return {after.stored - before.stored, after.deduped - before.deduped, after.too_large - before.too_large,
          after.failed - before.failed, after.refreshed - before.refreshed};
}

} // namespace gc::actors

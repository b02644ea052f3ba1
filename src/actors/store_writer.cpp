#include "actors/store_writer.hpp"

#include "core/log.hpp"
#include "store/db.hpp"
#include "store/fts_maintenance.hpp"
#include "store/thread_summaries.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace gc::actors {

namespace {

struct job {
  write_fn fn;
  caf::typed_response_promise<int64_t> rp;
};

} // namespace

struct store_writer_state {
  std::unique_ptr<store::connection> conn;
  std::deque<job> queue;
  bool flush_pending = false;
  size_t max_group = 1000;
  writer_stats stats;
  store_writer_options opts;
  std::chrono::steady_clock::time_point fts_next_check{};
  std::chrono::steady_clock::time_point fts_next_merge{};
  static inline const char* name = "store_writer";
};

namespace {

using pointer = store_writer_actor::stateful_pointer<store_writer_state>;
using outcome = caf::expected<int64_t>;

// False once SQLite itself rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR,
// SQLITE_NOMEM, ... can do that), as opposed to our savepoint rolling back one job.
bool in_transaction(store::connection& c) { return c.in_transaction(); }

// One job inside its own savepoint; a throw rolls back this job only.
outcome run_job(store::connection& c, const write_fn& fn) {
  try {
    store::savepoint sp{c, "gc_job"};
    auto v = fn(c);
    sp.release();
    return v;
  } catch (const std::exception& e) {
    return make_gc_error(errc::job_failed, e.what());
  } catch (...) {
    return make_gc_error(errc::job_failed, "unknown exception");
  }
}

void deliver(job& j, outcome& o) {
  if (o) {
    int64_t v = *o;
    j.rp.deliver(v);
  } else {
    j.rp.deliver(std::move(o.error()));
  }
}

// Rebuilds the thread summaries the group's writes made stale, inside the group's transaction.
// A failure leaves the threads listed as dirty (readers then aggregate them): not the jobs' fault.
void refresh_summaries(store::connection& c) {
  if (auto r = store::refresh_thread_summaries(c); !r)
    log::warn("store_writer: thread summaries not refreshed: {}", r.error().message);
}

enum class group_end { committed, redo_with_savepoints, requeued };

// One try at `group` in one transaction; fills `out` (one outcome per job) unless requeued.
// All-or-nothing: no savepoints are opened (see store::connection), so a job that fails, or a
// savepoint that would have rolled back, ends the try with nothing written.
group_end try_group(pointer self, std::vector<job>& group, std::vector<outcome>& out,
                    bool all_or_nothing) {
  auto& st = self->state;
  auto& c = *st.conn;
  const size_t n = group.size();
  out.clear();
  struct mode_reset {
    store::connection& c;
    ~mode_reset() { c.set_all_or_nothing(false); }
  } reset{c};
  try {
    store::transaction tx{c};
    c.set_all_or_nothing(all_or_nothing);
    for (auto& j : group) {
      out.push_back(run_job(c, j.fn));
      if (!in_transaction(c)) {
        // SQLite aborted the whole transaction: the failed job gets its error; the others
        // (done and rolled back, or not yet run) go back to the queue front, in order.
        if (out.back())
          out.back() = make_gc_error(errc::job_failed, "the transaction ended during this job");
        auto failed = out.size() - 1;
        log::warn("store_writer: transaction aborted by job failure: {}",
                  error_detail(out.back().error()));
        deliver(group[failed], out.back());
        ++st.stats.jobs;
        for (size_t i = n; i-- > 0;)
          if (i != failed)
            st.queue.push_front(std::move(group[i]));
        return group_end::requeued;
      }
      if (all_or_nothing && (!out.back() || c.broken()))
        return group_end::redo_with_savepoints;  // tx rolls everything back
    }
    refresh_summaries(c);
    if (all_or_nothing && c.broken())
      return group_end::redo_with_savepoints;
    tx.commit();
  } catch (const std::exception& e) {  // BEGIN or COMMIT failed: nothing is durable
    log::error("store_writer: group of {} jobs failed: {}", n, e.what());
    out.assign(n, outcome{make_gc_error(errc::commit_failed, e.what())});
  }
  return group_end::committed;
}

// Runs up to max_group queued jobs in ONE transaction, then delivers their replies (only
// after COMMIT). First all-or-nothing, which is what almost every group is; if a job fails,
// the group is rolled back and run again with a savepoint per job, so the failing job is
// undone alone (every job may run more than once: it must start over, see write_fn). Jobs
// that cannot run in this group stay at the front of the queue.
void run_group(pointer self) {
  auto& st = self->state;
  auto n = std::min(st.queue.size(), st.max_group);
  if (n == 0)
    return;
  std::vector<job> group;
  group.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    group.push_back(std::move(st.queue.front()));
    st.queue.pop_front();
  }
  std::vector<outcome> out;
  out.reserve(n);
  ++st.stats.groups;
  auto end = try_group(self, group, out, true);
  if (end == group_end::redo_with_savepoints) {
    ++st.stats.redone;
    end = try_group(self, group, out, false);
  }
  if (end == group_end::requeued)
    return;
  st.stats.jobs += n;
  for (size_t i = 0; i < n; ++i)
    deliver(group[i], out[i]);
}

// Keeps the full-text index in few segments (see the header for the policy and pacing). Runs
// between groups, each merge in its own transaction; a failure is logged and tried again later.
void maintain_fts(pointer self) {
  auto& st = self->state;
  using clock = std::chrono::steady_clock;
  const auto& o = st.opts;
  const auto now = clock::now();
  if ((o.fts_merge_at <= 0 && o.fts_max_segments <= 0) || now < st.fts_next_check) return;
  st.fts_next_check = now + o.fts_check_every;
  auto segments = store::fts_segments(*st.conn);
  if (segments && o.fts_merge_at > 0 && *segments >= o.fts_merge_at) {
    if (auto merged = store::fts_merge_levels(*st.conn, 2000); !merged)
      log::warn("store_writer: full-text index levels not merged: {}", merged.error().message);
    segments = store::fts_segments(*st.conn);
  }
  if (!segments) {
    log::warn("store_writer: full-text index not checked: {}", segments.error().message);
    return;
  }
  if (o.fts_max_segments <= 0 || *segments < o.fts_max_segments || now < st.fts_next_merge) return;
  const auto merged = store::fts_optimize(*st.conn);
  const auto took = clock::now() - now;
  const double share = std::clamp(o.fts_max_share, 0.001, 1.0);
  const auto rest = std::chrono::duration_cast<clock::duration>(took * (1.0 / share - 1.0));
  st.fts_next_merge = clock::now() + std::max<clock::duration>(o.fts_min_gap, rest);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (merged)
    log::info("store_writer: merged the full-text index's {} segments into one in {} ms", *segments, ms);
  else
    log::warn("store_writer: full-text index not merged: {}", merged.error().message);
}

void schedule_flush(pointer self) {
  if (self->state.flush_pending || self->state.queue.empty())
    return;
  self->state.flush_pending = true;
  self->send(self, flush_atom_v);  // lands behind the writes already in the mailbox
}

// Runs every queued job, checkpoints the WAL into the main file and closes the connection.
void drain_and_close(pointer self) {
  auto& st = self->state;
  if (!st.conn)
    return;
  while (!st.queue.empty())
    run_group(self);
  try {
    st.conn->checkpoint_truncate();
  } catch (const std::exception& e) {
    log::warn("store_writer: WAL checkpoint on exit failed: {}", e.what());
  }
  st.conn.reset();
}

} // namespace

store_writer_actor::behavior_type store_writer(pointer self, store_writer_options opts) {
  auto& st = self->state;
  st.max_group = std::max<size_t>(1, opts.max_group);
  st.opts = opts;
  try {
    st.conn = std::make_unique<store::connection>(opts.db_path);
  } catch (const std::exception& e) {
    log::error("store_writer: cannot open database: {}", e.what());
    self->quit(make_gc_error(errc::unavailable, std::string{"cannot open database: "} + e.what()));
    return {
      [](write_atom, const write_fn&) -> caf::result<int64_t> {
        return make_gc_error(errc::unavailable, "store writer is down");
      },
      [](stats_atom) { return writer_stats{}; },
      [](flush_atom) {},
    };
  }
  // Threads left dirty by a migration (0007 lists every summarised thread) or a failed refresh.
  // Only then a write transaction: other connections that read and then write (tools, tests)
  // get SQLITE_BUSY at once, without waiting, while the writer holds the write lock.
  if (auto stale = store::thread_summaries_stale(*st.conn); stale && *stale) {
    try {
      store::transaction tx{*st.conn};
      refresh_summaries(*st.conn);
      tx.commit();
    } catch (const std::exception& e) {
      log::warn("store_writer: thread summaries not refreshed at start: {}", e.what());
    }
  }
  // Shutdown (user_shutdown from the supervisor) or any exit request: commit what is
  // queued, checkpoint, close, then go.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    drain_and_close(self);
    self->quit(msg.reason);
  });
  return {
    [self](write_atom, write_fn& fn) -> caf::result<int64_t> {
      auto rp = self->make_response_promise<int64_t>();
      self->state.queue.push_back(job{std::move(fn), rp});
      schedule_flush(self);
      return rp;
    },
    [self](flush_atom) {
      self->state.flush_pending = false;
      run_group(self);
      if (self->state.queue.empty())
        maintain_fts(self);
      schedule_flush(self);  // more than max_group queued, or requeued after an abort
    },
    [self](stats_atom) { return self->state.stats; },
  };
}

store_writer_actor spawn_store_writer(caf::actor_system& sys, store_writer_options opts) {
  return sys.spawn<caf::detached>(store_writer, std::move(opts));
}

caf::actor spawn_store_writer(caf::local_actor* parent, store_writer_options opts) {
  return caf::actor_cast<caf::actor>(
    parent->spawn<caf::detached>(store_writer, std::move(opts)));
}

} // namespace gc::actors

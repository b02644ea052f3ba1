#pragma once
// THE project's single CAF type-ID block (style.md §0.2, §1.2), its atoms, and the message
// types that travel between our actors. CAF_ENABLE_TYPE_ID_CHECKS is on for our targets, so
// every type put into a message must appear here (or be whitelisted as local-only below).
//
// Appending: add forward declarations above the block, one CAF_ADD_TYPE_ID / CAF_ADD_ATOM line
// inside it (atom text <= 10 chars in 0.17), and the definition (+ 0.17 `inspect`) below.
// Never reorder existing lines: IDs are assigned by position.
#include <caf/all.hpp>

#include "actors/rate_limiter_types.hpp"  // permit, limiter_stats (rate_limiter)
#include "actors/matcher_index_types.hpp"  // match_snapshot, rematch_result, matcher_stats

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gc::store { class connection; }

namespace gc::actors {
struct writer_stats;
struct child_info;
struct child_spec;
enum class errc : uint8_t;
} // namespace gc::actors

CAF_BEGIN_TYPE_ID_BLOCK(gc, caf::first_custom_type_id)

  // -- types ------------------------------------------------------------------------------
  CAF_ADD_TYPE_ID(gc, (gc::actors::errc))                        // error code enum
  CAF_ADD_TYPE_ID(gc, (gc::actors::writer_stats))                // store_writer stats reply
  CAF_ADD_TYPE_ID(gc, (gc::actors::child_info))                  // supervisor status entry
  CAF_ADD_TYPE_ID(gc, (std::vector<gc::actors::child_info>))     // supervisor status reply

  // -- atoms (text <= 10 chars) ------------------------------------------------------------
  // Built-ins reused as-is: caf::get_atom (child handle by name), caf::add_atom (add child),
  // caf::delete_atom (stop + forget child). gc::actors::flush_atom has the same text as
  // caf::flush_atom and therefore IS the same type; that is harmless.
  CAF_ADD_ATOM(gc, gc::actors, write_atom, "write")              // store_writer: run a write_fn
  CAF_ADD_ATOM(gc, gc::actors, flush_atom, "flush")              // store_writer: commit a group
  CAF_ADD_ATOM(gc, gc::actors, stats_atom, "stats")              // store_writer: writer_stats
  CAF_ADD_ATOM(gc, gc::actors, respawn_atom, "respawn")          // supervisor: restart a child
  CAF_ADD_ATOM(gc, gc::actors, status_atom, "status")            // supervisor: child_info list

  // -- rate_limiter (actors/rate_limiter.hpp; types in actors/rate_limiter_types.hpp) --------
  // Reuses stats_atom for its limiter_stats reply.
  CAF_ADD_TYPE_ID(gc, (gc::core::gmail_method))                  // acquire: which call
  CAF_ADD_TYPE_ID(gc, (gc::actors::permit))                      // acquire reply
  CAF_ADD_TYPE_ID(gc, (gc::actors::limiter_stats))               // stats reply
  CAF_ADD_ATOM(gc, gc::actors, acquire_atom, "acquire")          // rate_limiter: get a permit
  CAF_ADD_ATOM(gc, gc::actors, release_atom, "release")          // rate_limiter: call done
  CAF_ADD_ATOM(gc, gc::actors, throttle_atom, "throttled")       // rate_limiter: 429/403 seen
  CAF_ADD_ATOM(gc, gc::actors, wake_atom, "rl_wake")             // rate_limiter: timer

  // -- matcher_index (actors/matcher_index.hpp; types in actors/matcher_index_types.hpp) ----
  // Reuses caf::get_atom (-> match_snapshot, whitelisted below) and stats_atom.
  CAF_ADD_TYPE_ID(gc, (gc::actors::rematch_result))              // rematch reply
  CAF_ADD_TYPE_ID(gc, (gc::actors::matcher_stats))               // stats / rebuild reply
  CAF_ADD_ATOM(gc, gc::actors, rebuild_atom, "mi_rebuild")       // matcher_index: rebuild now
  CAF_ADD_ATOM(gc, gc::actors, rematch_atom, "rematch")          // matcher_index: rematch since
  CAF_ADD_ATOM(gc, gc::actors, check_atom, "mi_check")           // matcher_index: timer
  CAF_ADD_ATOM(gc, gc::actors, page_atom, "mi_page")             // matcher_index: next page

  // ---- mailbox syncers and sync_service ------------------------------------------------
  CAF_ADD_ATOM(gc, gc::actors, run_now_atom, "run_now")          // mailbox_syncer: sync now
  CAF_ADD_ATOM(gc, gc::actors, synced_atom, "synced")            // post-sync hook (id, ok)

  // ---- attachment_fetcher (actors/attachment_fetcher.hpp) ---------------------------------
  CAF_ADD_ATOM(gc, gc::actors, fetch_now_atom, "fetch_now")      // attachment_fetcher: run a pass
  CAF_ADD_ATOM(gc, gc::actors, att_tick_atom, "att_tick")        // attachment_fetcher: timer
  CAF_ADD_ATOM(gc, gc::actors, att_job_atom, "att_job")          // coordinator -> worker: row ids
  CAF_ADD_ATOM(gc, gc::actors, att_done_atom, "att_done")        // worker -> coordinator: row ids
  CAF_ADD_TYPE_ID(gc, (std::vector<int64_t>))                    // att_job / att_done: row ids

CAF_END_TYPE_ID_BLOCK(gc)

namespace gc::actors {

// Errors produced by our actors. The context of each error carries one std::string with
// the human-readable detail (e.g. the exception text of a failed write job).
enum class errc : uint8_t {
  job_failed = 1,    // a write job threw; its savepoint was rolled back, the group went on
  commit_failed,     // BEGIN or COMMIT failed; nothing of the group is durable
  unavailable,       // the named child is currently down (restart pending) or shutting down
  unknown_child,     // no child with that name
  duplicate_child,   // add_atom with a name already in use
};
std::string to_string(errc x);

// (enums serialize natively in 0.17: no inspect overload, it would be ambiguous)

// An error of category "gc" with `detail` as context.
caf::error make_gc_error(errc code, std::string detail);
// The detail string of an error (its first string context element), or the rendered error.
std::string error_detail(const caf::error& err);
// A short machine code for gc::error: "job_failed", "commit_failed", "unavailable",
// "unknown_child", "timeout" (sec::request_timeout), "unavailable" also for
// sec::request_receiver_down, or "actor" for anything else.
std::string error_code(const caf::error& err);

// -- store_writer -------------------------------------------------------------------------

// A write job. Runs on the writer's thread inside the group transaction; throw to fail (only
// this job is rolled back). Return value goes back to the requester. A job may run more than
// once (its group is redone after another job failed, or re-run after SQLite aborted the
// transaction): it must start over each time, e.g. clear what it collects for the caller.
// Never issue BEGIN/COMMIT/ROLLBACK/RELEASE yourself; use store::savepoint for nesting.
using write_fn = std::function<int64_t(gc::store::connection&)>;

struct writer_stats {
  uint64_t groups = 0;  // groups run (committed or failed; a redone group counts once)
  uint64_t jobs = 0;    // write jobs run
  uint64_t redone = 0;  // groups rolled back after a failed job and run again with savepoints
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, writer_stats& x) {
  return f(caf::meta::type_name("writer_stats"), x.groups, x.jobs, x.redone);
}

// -- supervisor ---------------------------------------------------------------------------

// Creates (spawns) a child. Called inside the supervisor; `supervisor` may be used to
// spawn (`supervisor->spawn<caf::detached>(...)`). The supervisor monitors the returned
// handle; do not link it. Throwing counts as a crash (restart with backoff).
using child_factory = std::function<caf::actor(caf::local_actor* supervisor)>;

struct child_spec {
  std::string name;
  child_factory factory;
};

struct child_info {
  std::string name;
  int32_t restarts = 0;
  bool alive = false;
  std::string last_exit_reason;  // empty until the first exit
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_info& x) {
  return f(caf::meta::type_name("child_info"), x.name, x.restarts, x.alive,
           x.last_exit_reason);
}

} // namespace gc::actors

CAF_ERROR_CODE_ENUM(gc::actors::errc, "gc")

// Local-only payloads (callables). UB if they were ever serialized; we never leave the node.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gc::actors::write_fn)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gc::actors::child_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gc::actors::match_snapshot)  // matcher_index: shared_ptr

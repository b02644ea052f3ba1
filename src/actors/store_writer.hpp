#pragma once
// store_writer: the single SQLite writer (design.md "Actors"). Spawn it detached: it blocks
// on SQLite and owns the only read-write connection, so the sqlite3* never leaves its thread.
//
// Group commit: every write_fn is queued with its response promise; the first write of a
// group sends the actor a flush message, which lands behind the writes already in its
// mailbox. The flush runs all queued jobs (at most max_group) in ONE `BEGIN IMMEDIATE`
// transaction, each inside its own savepoint: a job that throws is rolled back alone and its
// requester gets errc::job_failed, the others commit. Replies are delivered only after
// COMMIT (durable); if BEGIN/COMMIT fails, every job of the group gets errc::commit_failed.
// On exit (any reason): queued jobs are flushed, `PRAGMA wal_checkpoint(TRUNCATE)`, close.
//
// Full-text index upkeep (store/fts_maintenance.hpp), after a group when no job is queued,
// looked at most every fts_check_every: with fts_merge_at segments or more, the levels that
// hold several are merged (milliseconds: the small segments of recent commits become one);
// if fts_max_segments remain, the whole index is merged into one segment. After that full
// merge the writer waits fts_min_gap, and long enough that full merges take at most
// fts_max_share of its time (2%: a 1 s merge at 200k emails, then 49 s).
#include "actors/messages.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace gc::actors {

using store_writer_actor = caf::typed_actor<
  caf::replies_to<write_atom, write_fn>::with<int64_t>,
  caf::replies_to<stats_atom>::with<writer_stats>,
  caf::reacts_to<flush_atom>>;

struct store_writer_options {
  std::string db_path;
  size_t max_group = 1000;  // jobs per transaction; more queued jobs flush again
  int fts_merge_at = 4;       // 0: never merge levels
  int fts_max_segments = 8;   // 0: never merge the whole index
  std::chrono::milliseconds fts_check_every{5000};
  std::chrono::milliseconds fts_min_gap{60000};
  double fts_max_share = 0.02;  // in (0, 1]
};

struct store_writer_state;  // defined in store_writer.cpp

// The behavior. Opens the connection on the actor's own thread; an open failure makes the
// actor exit with an error (the supervisor restarts it with backoff).
store_writer_actor::behavior_type
store_writer(store_writer_actor::stateful_pointer<store_writer_state> self,
             store_writer_options opts);

// Spawns the writer detached (own thread). The first form is for tests and tools; the
// second spawns from `parent` (the supervisor) and returns it untyped, as child_factory wants.
store_writer_actor spawn_store_writer(caf::actor_system& sys, store_writer_options opts);
caf::actor spawn_store_writer(caf::local_actor* parent, store_writer_options opts);

// The conventional supervisor child name of the writer.
inline constexpr const char* store_writer_name = "store";

} // namespace gc::actors

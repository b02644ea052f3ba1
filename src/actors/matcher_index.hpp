#pragma once
// matcher_index: owns the investor match index (design.md "Actors"; core/matching.hpp for the
// rules) and runs rematch (seed 002 runbook: "populate the CRM, then POST /api/email/rematch").
//
// Snapshots: the index is immutable; (get_atom) hands out the current
// std::shared_ptr<const core::match_index>. A syncer asks once per batch and matches on its own
// thread; a rebuild swaps the pointer, old snapshots stay valid while held.
//
// Rebuilds: on start, then whenever the CRM rows change: every check_interval (delayed_send,
// default 30 s) the actor reads PRAGMA data_version on its own read-only connection; only
// when another connection committed something does it hash the rows (store/crm_repo.hpp)
// and rebuild if the hash differs. (rebuild_atom) rebuilds unconditionally. A rematch checks
// first, so CRM rows added just before it are used. One log line per rebuild, with counts.
// A failed check/build keeps the previous index (and logs); before the first success,
// (get_atom) answers errc::unavailable.
//
// Rematch: (rematch_atom, since) pages through the emails dated >= since ("" = all; ISO-8601,
// else sec::invalid_argument) page_size at a time, matches each with the current index and
// sends each page's links as ONE write job to the store writer (insert-ignore, is_matched=1;
// existing links are never removed), then answers with counts and the matched emails still
// stored metadata-only, each with a live sighting to fetch the body through (fetching them is
// the syncers' job). Pages are separate messages, so (get_atom) is served in between. Rematch
// requests run one at a time, in arrival order. On exit, queued requests get
// errc::unavailable; a write error fails that request (pages already written stay written;
// rerunning is safe: everything is idempotent).
//
// The writer: `writer` when set (tests, tools), else the supervisor's child "store" looked up
// per page (its handle changes after a restart). spawn_matcher_index(parent, ...) uses the
// parent as supervisor when none is given; only a weak reference to it is kept.
//
// Messages (typed, matcher_index_actor):
//   (caf::get_atom)                  -> match_snapshot      never null
//   (stats_atom)                     -> matcher_stats
//   (rebuild_atom)                   -> matcher_stats       after the rebuild (or its error)
//   (rematch_atom, std::string since) -> rematch_result
//   (check_atom), (page_atom)        internal (timer, next rematch page)
#include "actors/messages.hpp"
#include "actors/store_writer.hpp"
#include "core/config.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gc::actors {

using matcher_index_actor = caf::typed_actor<
  caf::replies_to<caf::get_atom>::with<match_snapshot>,
  caf::replies_to<stats_atom>::with<matcher_stats>,
  caf::replies_to<rebuild_atom>::with<matcher_stats>,
  caf::replies_to<rematch_atom, std::string>::with<rematch_result>,
  caf::reacts_to<check_atom>,
  caf::reacts_to<page_atom>>;

struct matcher_index_options {
  std::string db_path;                                    // CRM_DB_PATH
  std::string workspace_domain;                           // CRM_GMAIL_WORKSPACE_DOMAIN
  std::vector<std::string> extra_free_mail;               // more consumer domains
  caf::timespan check_interval = std::chrono::seconds(30);  // 0 = no periodic check
  int32_t page_size = 500;                                // rematch emails per page/write job
  caf::timespan write_timeout = std::chrono::seconds(60);   // per page write (and lookup)
  store_writer_actor writer;                              // set: write through it directly
  caf::actor supervisor;                                  // else: its child "store"
};

// db_path and workspace_domain from the configuration; the rest default.
matcher_index_options matcher_index_options_from(const core::config& cfg);

struct matcher_index_state;  // actors/matcher_index_state.hpp

// The behavior. Blocks on SQLite reads: spawn it detached (the spawn functions do); tests on
// the deterministic scheduler spawn it directly, not detached.
matcher_index_actor::behavior_type
matcher_index(matcher_index_actor::stateful_pointer<matcher_index_state> self,
              matcher_index_options opts);

matcher_index_actor spawn_matcher_index(caf::actor_system& sys, matcher_index_options opts);
caf::actor spawn_matcher_index(caf::local_actor* parent, matcher_index_options opts);

// The conventional supervisor child name.
inline constexpr const char* matcher_index_name = "matcher";

} // namespace gc::actors

#pragma once
// One blocking actor per enrolled mailbox (its own thread: Gmail calls, parsing and waiting
// for quota never hold a scheduler thread). It runs a sync cycle at start, then again on a
// run_now message or when the interval passes; a crash is isolated to it and the supervisor
// restarts it. Exits on an exit message (checked between cycles; a running cycle stops at the
// next Gmail call once `stopping` is set).
#include "actors/sync_cycle.hpp"

#include <atomic>
#include <memory>

namespace gc::actors {

struct syncer_env {
  gmail::client* gmail = nullptr;
  rate_limiter_actor limiter;
  runtime* rt = nullptr;
  std::string db_path;
  std::function<std::shared_ptr<const core::match_index>()> snapshot;
  sync_options sync;
  gate_options gate;
  std::chrono::milliseconds interval{std::chrono::minutes(15)};  // CRM_GMAIL_SYNC_INTERVAL_MIN
  std::shared_ptr<std::atomic<bool>> stopping = std::make_shared<std::atomic<bool>>(false);
  caf::actor on_synced;  // post-sync hook: gets (synced_atom, account_id, ok)
};

// The dependencies of one cycle on the calling thread (the CLI uses this directly).
sync_deps make_sync_deps(const syncer_env& env, gmail_gate& gate);

std::string syncer_name(int64_t account_id);  // "syncer:<id>", its supervisor child name
caf::actor spawn_mailbox_syncer(caf::local_actor* parent, syncer_env env, int64_t account_id);

} // namespace gc::actors

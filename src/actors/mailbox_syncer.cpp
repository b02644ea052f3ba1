#include "actors/mailbox_syncer.hpp"

#include "actors/messages.hpp"
#include "core/log.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/read_connection.hpp"

#include <caf/blocking_actor.hpp>

namespace gc::actors {

sync_deps make_sync_deps(const syncer_env& env, gmail_gate& gate) {
  runtime* rt = env.rt;
  return sync_deps{*env.gmail, gate,
                   [rt](runtime::write_fn fn) { return rt->write_sync(std::move(fn), std::chrono::minutes(5)); },
                   env.db_path, env.snapshot, env.sync};
}

std::string syncer_name(int64_t account_id) { return "syncer:" + std::to_string(account_id); }

namespace {

// A paused mailbox (sync_enabled = 0) runs no cycle, even when a run_now or the interval
// arrives before the supervisor's stop does. A read error does not block syncing.
bool sync_enabled(const std::string& db_path, int64_t account_id) {
  try {
    auto acc = store::email_accounts_repo{store::read_connection(db_path)}.account_cursor(account_id);
    return !acc || acc->sync_enabled;
  } catch (const std::exception&) {
    return true;
  }
}

void syncer(caf::blocking_actor* self, syncer_env env, int64_t account_id) {
  auto stop = env.stopping;
  gmail_gate gate{self->system(), env.limiter, env.gate, [stop] { return stop->load(); }};
  auto deps = make_sync_deps(env, gate);
  bool running = true;
  while (running && !stop->load()) {
    if (sync_enabled(env.db_path, account_id)) {
      auto rep = run_sync_cycle(deps, account_id);
      if (env.on_synced) caf::anon_send(env.on_synced, synced_atom_v, account_id, !rep.error.has_value());
    }
    bool waiting = true;
    while (waiting && running) {
      self->receive(
          [&](run_now_atom) { waiting = false; },
          [&](caf::exit_msg&) { running = false; },
          caf::after(env.interval) >> [&] { waiting = false; });
    }
  }
}

} // namespace

caf::actor spawn_mailbox_syncer(caf::local_actor* parent, syncer_env env, int64_t account_id) {
  return parent->spawn<caf::detached>(syncer, std::move(env), account_id);
}

} // namespace gc::actors

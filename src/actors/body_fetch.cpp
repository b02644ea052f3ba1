#include "actors/body_fetch.hpp"

#include "core/log.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/email_repo.hpp"
#include "store/read_connection.hpp"

#include <caf/blocking_actor.hpp>
#include <map>
#include <stdexcept>

namespace gc::actors {

int64_t fetch_bodies(const sync_deps& deps, int64_t account_id, const std::string& mailbox,
                     const std::vector<std::string>& gmail_ids) {
  std::vector<id_ref> refs;
  for (const auto& id : gmail_ids) refs.push_back({id, {}});
  auto f = fetch_messages(deps, account_id, mailbox, refs);
  if (f.error) gc::log::warn("bodies {}: {} not fetched: {}", mailbox, f.failed_ids.size(), *f.error);
  if (f.messages.empty()) return 0;
  auto r = deps.write([&f](store::connection& c) -> int64_t {
    auto outcomes = store::email_repo{c}.store_messages(f.messages);
    if (!outcomes) throw std::runtime_error(outcomes.error().message);
    int64_t filled = 0;
    for (const auto& o : *outcomes)
      if (o && o->body_filled) ++filled;
    return filled;
  });
  if (!r) {
    gc::log::warn("bodies {}: the database write failed: {}", mailbox, r.error().message);
    return 0;
  }
  return *r;
}

namespace {

void body_fetcher(caf::blocking_actor* self, syncer_env env, std::vector<body_fetch> todo) {
  auto stop = env.stopping;
  gmail_gate gate{self->system(), env.limiter, env.gate, [stop] { return stop->load(); }};
  auto deps = make_sync_deps(env, gate);
  std::map<int64_t, std::vector<std::string>> by_account;
  for (auto& b : todo) by_account[b.account_id].push_back(std::move(b.gmail_message_id));
  for (const auto& [account_id, ids] : by_account) {
    if (stop->load()) return;
    auto acc = store::email_accounts_repo{store::read_connection(env.db_path)}.account_cursor(account_id);
    if (!acc || !acc->sync_enabled) continue;
    int64_t filled = 0;
    try {
      filled = fetch_bodies(deps, account_id, acc->email, ids);
    } catch (const std::exception& e) {
      gc::log::warn("bodies {}: {}", acc->email, e.what());
    }
    gc::log::info("bodies {}: {} of {} matched emails now have their body", acc->email, filled, ids.size());
    if (env.on_synced) caf::anon_send(env.on_synced, synced_atom_v, account_id, true);
  }
}

} // namespace

void spawn_body_fetch(caf::actor_system& sys, syncer_env env, std::vector<body_fetch> todo) {
  if (todo.empty() || !env.gmail) return;
  sys.spawn<caf::detached>(body_fetcher, std::move(env), std::move(todo));
}

} // namespace gc::actors

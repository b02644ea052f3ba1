#include "actors/sync_service.hpp"

#include "actors/body_fetch.hpp"
#include "actors/matcher_index.hpp"
#include "actors/messages.hpp"
#include "core/log.hpp"
#include "store/email_accounts_repo.hpp"
#include "actors/refresh_tokens.hpp"
#include "store/read_connection.hpp"

#include <caf/scoped_actor.hpp>

namespace gc::actors {
namespace {

constexpr auto ask_timeout = std::chrono::seconds(30);

} // namespace

caf::actor sync_service::child(const std::string& name) {
  caf::scoped_actor self{rt_.system()};
  caf::actor out;
  self->request(rt_.supervisor(), ask_timeout, caf::get_atom_v, name)
      .receive([&](caf::actor& a) { out = std::move(a); }, [&](caf::error&) {});
  return out;
}

caf::actor sync_service::matcher() { return child(matcher_index_name); }

gc::result<std::unique_ptr<sync_service>> sync_service::start(const core::config& cfg, runtime& rt,
                                                              bool with_syncers) {
  auto svc = std::unique_ptr<sync_service>(new sync_service(cfg, rt));
  auto services = gmail::make_services(cfg, make_refresh_token_storage(cfg.db_path, rt));
  if (!services) return services.error();
  svc->services_ = std::move(*services);

  // rate_limiter and matcher_index live under the supervisor, beside the store writer.
  auto lim_opts = rate_limiter_options_from(cfg);
  auto mi_opts = matcher_index_options_from(cfg);
  caf::scoped_actor self{rt.system()};
  for (auto spec : {child_spec{rate_limiter_name, [lim_opts](caf::local_actor* p) { return spawn_rate_limiter(p, lim_opts); }},
                    child_spec{matcher_index_name, [mi_opts](caf::local_actor* p) { return spawn_matcher_index(p, mi_opts); }}}) {
    std::optional<gc::error> err;
    self->request(rt.supervisor(), ask_timeout, caf::add_atom_v, spec)
        .receive([](caf::ok_atom) {}, [&](caf::error& e) { err = gc::error{"actor", rt.system().render(e)}; });
    if (err) return *err;
  }

  auto& env = svc->env_;
  env.gmail = svc->services_->gmail.get();
  env.limiter = caf::actor_cast<rate_limiter_actor>(svc->child(rate_limiter_name));
  env.rt = &rt;
  env.db_path = cfg.db_path;
  sync_service* raw = svc.get();
  env.snapshot = [raw]() -> std::shared_ptr<const core::match_index> {
    caf::scoped_actor s{raw->rt_.system()};
    match_snapshot snap;
    s->request(raw->matcher(), ask_timeout, caf::get_atom_v)
        .receive([&](match_snapshot& m) { snap = std::move(m); }, [&](caf::error&) {});
    return snap;
  };
  env.sync.page_size = cfg.backfill_page_size;
  env.sync.batch_size = std::min(50, std::max(1, lim_opts.inflight_cap));
  env.sync.history_stale_days = cfg.history_stale_days;
  env.gate.retry_max = cfg.retry_max;
  env.interval = std::chrono::minutes(cfg.sync_interval_min);
  if (!env.limiter) return gc::error{"actor", "the rate limiter did not start"};

  if (with_syncers) {  // the post-sync hook: each finished cycle wakes the attachment fetcher
    auto aenv = svc->attachment_env_for();
    std::optional<gc::error> err;
    self->request(rt.supervisor(), ask_timeout, caf::add_atom_v,
                  child_spec{attachment_fetcher_name,
                             [aenv](caf::local_actor* p) { return spawn_attachment_fetcher(p, aenv); }})
        .receive([](caf::ok_atom) {}, [&](caf::error& e) { err = gc::error{"actor", rt.system().render(e)}; });
    if (err) return *err;
    env.on_synced = svc->child(attachment_fetcher_name);
  }

  if (with_syncers) {
    auto accounts = store::email_accounts_repo{store::read_connection(cfg.db_path)}.list_accounts();
    if (!accounts) return accounts.error();
    for (const auto& a : *accounts)
      if (a.sync_enabled) svc->refresh_account(a.id, true);
  }
  return svc;
}

sync_service::~sync_service() { stop(); }

void sync_service::stop() { env_.stopping->store(true); }

sync_report sync_service::run_once(int64_t account_id) {
  gmail_gate gate{rt_.system(), env_.limiter, env_.gate, [s = env_.stopping] { return s->load(); }};
  return run_sync_cycle(make_sync_deps(env_, gate), account_id);
}

bool sync_service::refresh_account(int64_t account_id, bool enabled) {
  caf::scoped_actor self{rt_.system()};
  auto name = syncer_name(account_id);
  if (!enabled) {
    self->request(rt_.supervisor(), ask_timeout, caf::delete_atom_v, name)
        .receive([](caf::ok_atom) {}, [](caf::error&) {});
    std::lock_guard lock{mu_};
    std::erase(syncers_, account_id);
    return false;
  }
  {
    std::lock_guard lock{mu_};
    if (std::find(syncers_.begin(), syncers_.end(), account_id) != syncers_.end()) return false;
  }
  auto env = env_;
  child_spec spec{name, [env, account_id](caf::local_actor* p) { return spawn_mailbox_syncer(p, env, account_id); }};
  bool started = false;
  self->request(rt_.supervisor(), ask_timeout, caf::add_atom_v, spec)
      .receive([&](caf::ok_atom) { started = true; },
               [&](caf::error& e) {
                 if (error_code(e) != "duplicate_child")
                   gc::log::warn("sync: syncer {} not started: {}", name, rt_.system().render(e));
               });
  if (started) {
    std::lock_guard lock{mu_};
    syncers_.push_back(account_id);
  }
  return started;
}

attachment_env sync_service::attachment_env_for() const {
  auto e = make_attachment_env(env_, cfg_);
  e.stats = attach_stats_;
  return e;
}

attachment_counts sync_service::fetch_attachments_once() {
  return fetch_pending_once(rt_.system(), attachment_env_for());
}

void sync_service::fetch_attachments_now() {
  if (auto a = child(attachment_fetcher_name)) caf::anon_send(a, fetch_now_atom_v);
}

void sync_service::fetch_bodies(std::vector<body_fetch> todo) {
  spawn_body_fetch(rt_.system(), env_, std::move(todo));
}

void sync_service::run_now(std::optional<int64_t> account_id) {
  std::vector<int64_t> ids;
  {
    std::lock_guard lock{mu_};
    ids = syncers_;
  }
  for (auto id : ids)
    if (!account_id || *account_id == id)
      if (auto a = child(syncer_name(id))) caf::anon_send(a, run_now_atom_v);
}

} // namespace gc::actors

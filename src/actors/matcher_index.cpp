#include "actors/matcher_index.hpp"

#include "actors/matcher_index_state.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/matching.hpp"
#include "store/crm_repo.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace gc::actors {

namespace detail {
namespace {

int64_t elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               t0)
      .count();
}

void record_error(matcher_pointer self, const std::string& what) {
  if (self->state.stats.last_error != what)  // one line per distinct failure, not per tick
    log::warn("matcher_index: {}", what);
  self->state.stats.last_error = what;
}

// Opens the read-only connection on first use (and again after a failure).
bool ensure_connection(matcher_pointer self) {
  auto& st = self->state;
  if (st.conn) return true;
  try {
    st.conn = std::make_unique<store::connection>(st.opts.db_path, store::open_mode::read_only);
    st.data_version.reset();  // data_version values are per connection
    return true;
  } catch (const std::exception& e) {
    record_error(self, std::string{"cannot open database: "} + e.what());
    return false;
  }
}

bool rebuild(matcher_pointer self, const char* why) {
  auto& st = self->state;
  const auto t0 = std::chrono::steady_clock::now();
  auto rows = store::crm_repo{*st.conn}.load();
  if (!rows) {
    record_error(self, "loading CRM rows failed: " + rows.error().message);
    st.conn.reset();  // reopen next time (the file may have been replaced)
    return false;
  }
  core::index_options io{st.opts.workspace_domain, rows->mailbox_addresses,
                         st.opts.extra_free_mail};
  auto ix = std::make_shared<const core::match_index>(
      core::match_index::build(rows->investors, rows->contacts, io));
  const auto& n = ix->counts();
  st.snapshot = std::move(ix);
  auto& s = st.stats;
  ++s.generation;
  s.investors = static_cast<int64_t>(n.investors);
  s.graveyard = static_cast<int64_t>(n.graveyard);
  s.contacts = static_cast<int64_t>(n.contacts);
  s.addresses = static_cast<int64_t>(n.addresses);
  s.domains = static_cast<int64_t>(n.domains);
  s.fingerprint = rows->fingerprint;
  s.built_at = core::iso8601_now();
  s.last_error.clear();
  log::info("matcher_index: rebuilt #{} ({}): {} investors ({} graveyard), {} contacts "
            "({} ignored), {} addresses, {} domains ({} ignored), {} mailboxes in {} ms",
            s.generation, why, n.investors, n.graveyard, n.contacts, n.ignored_contacts,
            n.addresses, n.domains, n.ignored_domains, rows->mailbox_addresses.size(),
            elapsed_ms(t0));
  return true;
}

} // namespace

void check_crm(matcher_pointer self, bool force) {
  auto& st = self->state;
  ++st.stats.checks;
  if (!ensure_connection(self)) return;
  store::crm_repo repo{*st.conn};
  auto dv = repo.data_version();
  if (!dv) {
    record_error(self, "data_version failed: " + dv.error().message);
    st.conn.reset();
    return;
  }
  bool ok = true;
  if (force || !st.snapshot) {
    ok = rebuild(self, force ? "requested" : "initial");
  } else if (st.data_version != *dv) {
    ++st.stats.hashed;
    auto fp = repo.fingerprint();
    if (!fp) {
      record_error(self, "fingerprint failed: " + fp.error().message);
      st.conn.reset();
      return;
    }
    if (*fp != st.stats.fingerprint)
      ok = rebuild(self, "CRM changed");
    else
      st.stats.last_error.clear();
  }
  // Remember the version only once a successful check or build covers it.
  if (ok) st.data_version = *dv;
}

} // namespace detail

matcher_index_options matcher_index_options_from(const core::config& cfg) {
  matcher_index_options o;
  o.db_path = cfg.db_path;
  o.workspace_domain = cfg.workspace_domain;
  return o;
}

matcher_index_actor::behavior_type
matcher_index(matcher_index_actor::stateful_pointer<matcher_index_state> self,
              matcher_index_options opts) {
  auto& st = self->state;
  if (opts.supervisor) st.supervisor = opts.supervisor.address();
  opts.supervisor = nullptr;  // keep only the weak address
  opts.page_size = std::max<int32_t>(1, opts.page_size);
  st.opts = std::move(opts);
  detail::check_crm(self, false);  // the initial build
  if (st.opts.check_interval.count() > 0)
    self->delayed_send(self, st.opts.check_interval, check_atom_v);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    detail::fail_rematches(self, make_gc_error(errc::unavailable, "matcher_index is stopping"));
    self->quit(msg.reason);
  });
  return {
    [self](caf::get_atom) -> caf::result<match_snapshot> {
      if (!self->state.snapshot)
        return make_gc_error(errc::unavailable,
                             "match index not built yet: " + self->state.stats.last_error);
      return self->state.snapshot;
    },
    [self](stats_atom) {
      auto s = self->state.stats;
      s.rematches = static_cast<int32_t>(self->state.rematches.size());
      return s;
    },
    [self](rebuild_atom) {
      detail::check_crm(self, true);
      auto s = self->state.stats;
      s.rematches = static_cast<int32_t>(self->state.rematches.size());
      return s;
    },
    [self](check_atom) {
      detail::check_crm(self, false);
      self->delayed_send(self, self->state.opts.check_interval, check_atom_v);
    },
    [self](rematch_atom, std::string& since) -> caf::result<rematch_result> {
      if (!since.empty() && !core::parse_iso8601(since))
        return caf::make_error(caf::sec::invalid_argument,
                               "rematch: since must be ISO-8601 (YYYY-MM-DD[THH:MM[:SS]][Z])");
      auto rp = self->make_response_promise<rematch_result>();
      self->state.rematches.push_back(rematch_job{std::move(since), rp, 0, {}});
      if (self->state.rematches.size() == 1) detail::start_rematch(self);
      return rp;
    },
    [self](page_atom) { detail::rematch_page(self); },
  };
}

matcher_index_actor spawn_matcher_index(caf::actor_system& sys, matcher_index_options opts) {
  return sys.spawn<caf::detached>(matcher_index, std::move(opts));
}

caf::actor spawn_matcher_index(caf::local_actor* parent, matcher_index_options opts) {
  if (!opts.writer && !opts.supervisor) opts.supervisor = caf::actor_cast<caf::actor>(parent);
  return caf::actor_cast<caf::actor>(parent->spawn<caf::detached>(matcher_index, std::move(opts)));
}

} // namespace gc::actors

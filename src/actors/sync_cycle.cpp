// The per-mailbox state machine: full sync, incremental sync, fallbacks, run bookkeeping.
#include "actors/sync_cycle.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/email_repo.hpp"
#include "store/read_connection.hpp"

#include <algorithm>
#include <future>
#include <set>

namespace gc::actors {
namespace {

using method = core::gmail_method;
using gmail::error_kind;

struct cycle_failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct history_expired {};

// Stores fetched messages, skips, then `cursor` (all in one transaction). Returns stored count.
int64_t commit(const sync_deps& deps, const fetched& f, std::function<void(store::connection&)> extra) {
  auto r = deps.write([&f, extra](store::connection& c) -> int64_t {
    store::email_repo repo{c};
    int64_t stored = 0;
    auto outcomes = repo.store_messages(f.messages);
    if (!outcomes) throw std::runtime_error(outcomes.error().message);
    for (size_t i = 0; i < f.messages.size(); ++i) {
      const auto& o = (*outcomes)[i];
      if (o) { ++stored; continue; }
      const auto& sighting = f.messages[i].second;
      auto s = repo.record_skip({sighting.account_id, sighting.gmail_message_id, "permanent",
                                 "could not be stored: " + o.error().message});
      if (!s) throw std::runtime_error(s.error().message);
    }
    for (const auto& s : f.skipped)
      if (auto ok = repo.record_skip(s); !ok) throw std::runtime_error(ok.error().message);
    if (extra) extra(c);
    return stored;
  });
  if (!r) throw cycle_failed("the database write failed: " + r.error().message);
  return *r;
}

void check(const gc::status& s) {
  if (!s) throw std::runtime_error(s.error().message);
}
template <class T>
T check(gc::result<T> r) {
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

store::email_account read_account(const sync_deps& deps, int64_t id) {
  auto a = store::email_accounts_repo{store::read_connection(deps.db_path)}.account_cursor(id);
  if (!a) throw cycle_failed("account " + std::to_string(id) + ": " + a.error().message);
  return *a;
}

std::vector<id_ref> unsighted(const sync_deps& deps, int64_t account_id, const std::vector<id_ref>& refs) {
  std::vector<std::string> ids;
  for (const auto& r : refs) ids.push_back(r.id);
  auto seen = store::email_repo{store::read_connection(deps.db_path)}.sighted_ids(account_id, ids);
  if (!seen) throw cycle_failed("reading sightings failed: " + seen.error().message);
  std::set<std::string> s(seen->begin(), seen->end());
  std::vector<id_ref> out;
  for (const auto& r : refs)
    if (!s.count(r.id)) out.push_back(r);
  return out;
}

template <class T>
T must(gmail::outcome<T> r) {
  if (r) return std::move(*r);
  if (r.error().kind == error_kind::history_expired) throw history_expired{};
  throw cycle_failed(gmail::describe(r.error()));
}

// Gmail's system labels: a re-sync replaces them with what Gmail reports now.
const std::vector<std::string> system_labels{"INBOX", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "SENT",
                                             "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS",
                                             "CATEGORY_UPDATES", "CATEGORY_FORUMS"};

std::vector<std::string> absent(const std::vector<std::string>& present) {
  std::vector<std::string> out;
  for (const auto& l : system_labels)
    if (std::find(present.begin(), present.end(), l) == present.end()) out.push_back(l);
  return out;
}

void full_sync(const sync_deps& deps, const store::email_account& start, sync_report& rep) {
  rep.kind = "full";
  const auto& mb = start.email;
  auto acct = start;
  // A re-sync (history lost or stale) must also refresh what it already has: labels of sighted
  // mail, and mail Gmail no longer lists (permanently deleted while we were not looking).
  const bool resync = start.history_id.has_value() || start.last_success_at.has_value();
  bool whole_listing = false;  // every page of this full sync was listed in this cycle
  std::set<std::string> listed;
  // A page's commit runs on the store writer while the next page is listed and fetched; it is
  // awaited before the next commit is queued, so page cursors land in order. get() rethrows.
  std::future<int64_t> in_commit;
  auto await_commit = [&] {
    if (in_commit.valid()) rep.stored += in_commit.get();
  };
  if (acct.state != "full_sync" || !acct.full_sync_history_id) {
    auto prof = must(deps.gate.run<gmail::profile>(mb, method::get_profile, 1, [&](auto cb) {
      deps.gmail.get_profile(mb, std::move(cb));
    }));
    auto id = acct.id;
    auto hid = prof.history_id;
    auto total = prof.messages_total;
    auto r = deps.write([=](store::connection& c) -> int64_t {
      check(store::email_accounts_repo{c}.begin_full_sync(id, hid, total));
      return 0;
    });
    if (!r) throw cycle_failed("the database write failed: " + r.error().message);
    acct = read_account(deps, acct.id);
    whole_listing = true;
    gc::log::info("sync {}: full sync from historyId {} ({} messages)", mb, hid, total);
  }
  for (;;) {
    if (deps.gate.stopping()) throw cycle_failed("stopped");
    gmail::list_messages_params p;
    p.q = "-in:chats -is:draft";
    p.include_spam_trash = true;  // SPAM/TRASH are captured as soft-deleted sightings
    p.max_results = deps.opts.page_size;
    if (acct.full_sync_page_token) p.page_token = *acct.full_sync_page_token;
    auto page = must(deps.gate.run<gmail::message_list>(mb, method::messages_list, 1, [&](auto cb) {
      deps.gmail.list_messages(mb, p, std::move(cb));
    }));
    std::vector<id_ref> refs;
    for (const auto& m : page.messages) refs.push_back({m.id, m.thread_id});
    rep.seen += static_cast<int64_t>(refs.size());
    auto fresh = unsighted(deps, acct.id, refs);
    auto f = fetch_messages(deps, acct.id, mb, fresh);
    label_refresh lr;
    if (resync) {
      std::set<std::string> is_fresh;
      for (const auto& r : fresh) is_fresh.insert(r.id);
      std::vector<std::string> known;
      for (const auto& r : refs)
        if (!is_fresh.count(r.id)) known.push_back(r.id);
      lr = refresh_labels(deps, mb, known);
    }
    for (const auto& r : refs) listed.insert(r.id);
    bool complete = f.failed_ids.empty() && lr.failed_ids.empty();
    auto id = acct.id;
    auto used = acct.full_sync_page_token;
    auto next = page.next_page_token;
    auto n = static_cast<int64_t>(refs.size());
    std::vector<std::string> vanished;  // sighted, but no longer listed by Gmail
    if (complete && !next && whole_listing && resync) {
      await_commit();
      auto live = store::email_repo{store::read_connection(deps.db_path)}.live_sighting_ids(id);
      if (!live) throw cycle_failed("reading sightings failed: " + live.error().message);
      for (const auto& g : *live)
        if (!listed.count(g)) vanished.push_back(g);
    }
    if (!f.error && lr.error) f.error = lr.error;
    rep.skipped += static_cast<int64_t>(f.skipped.size());
    auto failure = f.error;
    auto extra = [=](store::connection& c) {
      store::email_repo email{c};
      for (const auto& [gid, labels] : lr.labels) check(email.apply_labels(id, gid, labels, absent(labels)));
      for (const auto& gid : lr.gone) check(email.mark_deleted(id, gid, "deleted"));
      for (const auto& gid : vanished) check(email.mark_deleted(id, gid, "deleted"));
      if (!complete) return;  // keep the page cursor: these ids are fetched again next time
      store::email_accounts_repo repo{c};
      check(repo.save_full_sync_page(id, used, next, n));
      if (!next) check(repo.finish_full_sync(id));
    };
    await_commit();
    in_commit = std::async(std::launch::async, [&deps, f = std::move(f), extra] { return commit(deps, f, extra); });
    if (!complete || !next) await_commit();
    if (!complete) throw cycle_failed(failure.value_or("some messages could not be fetched"));
    if (!next) break;
    acct.full_sync_page_token = next;
  }
  gc::log::info("sync {}: full sync done ({} listed, {} stored)", mb, rep.seen, rep.stored);
}

void incremental(const sync_deps& deps, const store::email_account& acct, sync_report& rep) {
  if (rep.kind.empty()) rep.kind = "incremental";
  const auto& mb = acct.email;
  const uint64_t start = static_cast<uint64_t>(*acct.history_id);
  std::string token;
  for (;;) {
    if (deps.gate.stopping()) throw cycle_failed("stopped");
    gmail::list_history_params p;
    p.start_history_id = start;
    p.page_token = token;
    p.max_results = 500;
    auto h = must(deps.gate.run<gmail::history_list>(mb, method::history_list, 1, [&](auto cb) {
      deps.gmail.list_history(mb, p, std::move(cb));
    }));
    std::vector<id_ref> adds;
    std::set<std::string> added, deleted;
    struct label_op { std::string id; std::vector<std::string> add, remove; };
    std::vector<label_op> ops;
    uint64_t last_id = 0;
    for (const auto& rec : h.history) {
      last_id = std::max(last_id, rec.id);
      for (const auto& m : rec.messages_added)
        if (added.insert(m.id).second) adds.push_back({m.id, m.thread_id});
      for (const auto& m : rec.messages_deleted) deleted.insert(m.id);
      for (const auto& c : rec.labels_added) ops.push_back({c.msg.id, c.label_ids, {}});
      for (const auto& c : rec.labels_removed) ops.push_back({c.msg.id, {}, c.label_ids});
    }
    std::vector<id_ref> wanted;
    for (const auto& a : unsighted(deps, acct.id, adds))
      if (!deleted.count(a.id)) wanted.push_back(a);
    rep.seen += static_cast<int64_t>(wanted.size());
    auto f = fetch_messages(deps, acct.id, mb, wanted);
    bool complete = f.failed_ids.empty();
    std::set<std::string> fresh;  // fetched now: their labels are already current
    for (const auto& m : f.messages) fresh.insert(m.second.gmail_message_id);
    auto id = acct.id;
    auto next = h.next_page_token;
    uint64_t cursor = next ? last_id : h.history_id;
    rep.stored += commit(deps, f, [=](store::connection& c) {
      store::email_repo repo{c};
      for (const auto& d : deleted) check(repo.mark_deleted(id, d, "deleted"));
      for (const auto& op : ops)
        if (!fresh.count(op.id)) check(repo.apply_labels(id, op.id, op.add, op.remove));
      if (complete && cursor > 0) check(store::email_accounts_repo{c}.advance_history(id, cursor));
    });
    rep.skipped += static_cast<int64_t>(f.skipped.size());
    if (!complete) throw cycle_failed(f.error.value_or("some messages could not be fetched"));
    if (!next) break;
    token = *next;
  }
}

bool stale(const store::email_account& a, int days) {
  if (!a.last_history_at) return false;
  auto t = core::parse_iso8601(*a.last_history_at);
  return t && std::chrono::system_clock::now() - *t > std::chrono::hours(24 * days);
}

} // namespace

sync_report run_sync_cycle(const sync_deps& deps, int64_t account_id) {
  sync_report rep;
  auto units_before = deps.gate.units_used();
  int64_t run_id = 0;
  std::string mailbox = "account " + std::to_string(account_id);
  try {
    auto acct = read_account(deps, account_id);
    mailbox = acct.email;
    bool needs_full = acct.state != "incremental" || !acct.history_id || stale(acct, deps.opts.history_stale_days);
    auto started = deps.write([account_id, needs_full](store::connection& c) -> int64_t {
      return check(store::email_accounts_repo{c}.start_run(account_id, needs_full ? "full" : "incremental"));
    });
    if (!started) throw cycle_failed("the database write failed: " + started.error().message);
    run_id = *started;
    if (needs_full && acct.state == "incremental")
      gc::log::info("sync {}: cursor older than {} days, full sync", mailbox, deps.opts.history_stale_days);
    if (needs_full) {
      if (acct.state == "incremental") acct.state = "stale";  // forces a fresh getProfile
      full_sync(deps, acct, rep);
      acct = read_account(deps, account_id);
    }
    try {
      incremental(deps, acct, rep);
    } catch (const history_expired&) {
      gc::log::warn("sync {}: history {} expired (404), full sync", mailbox, acct.history_id.value_or(0));
      acct.state = "expired";
      full_sync(deps, acct, rep);
      incremental(deps, read_account(deps, account_id), rep);
    }
  } catch (const history_expired&) {
    rep.error = "Gmail's history expired twice in a row";
  } catch (const std::exception& e) {
    rep.error = e.what();
  }
  rep.quota_units = deps.gate.units_used() - units_before;
  if (rep.error) gc::log::warn("sync {}: failed: {}", mailbox, *rep.error);
  store::run_finish fin{rep.error ? "error" : "ok", rep.seen, rep.stored, rep.skipped, 0, rep.quota_units, rep.error};
  auto err = rep.error;
  deps.write([=](store::connection& c) -> int64_t {
    store::email_accounts_repo repo{c};
    if (run_id) check(repo.finish_run(run_id, fin));
    if (err) check(repo.set_account_error(account_id, *err));
    else check(repo.clear_account_error(account_id));
    return 0;
  });
  return rep;
}

} // namespace gc::actors

// Sync control (seed 002 §3–§5), admin-only:
//   POST /api/email/sync/run-now   body empty / {} = every enabled mailbox, {"account_id": N}
//                                  = one; 202 at once with the mailboxes asked to sync; 404
//                                  unknown account, 409 paused account.
//   POST /api/email/rematch        {"since": ISO-8601} (absent = all mail): matches stored mail
//                                  again with the current investor/contact index.
//
// Rematch answers when it is done, with its counts (200), if that takes at most
// rematch_reply_after; otherwise it answers 202 {"status":"running","run_id"} and keeps going.
// Either way it is recorded as an email_sync_runs row (kind 'rematch', account_id NULL;
// messages_seen = emails scanned, messages_stored = emails newly matched), so the operator
// who ran the runbook's curl sees the result afterwards in GET /api/email/status
// ("sync_runs") and in the §4 SQL. Waiting for the short case keeps the runbook's one-line
// curl informative; the 202 fallback keeps a large rematch from outliving a proxy's timeout.
// The HTTP worker is not held while waiting: a bridge actor (style.md §1.6) replies.
// Newly matched mail that was stored metadata-only then gets its body fetched in the
// background ("bodies_to_fetch"; actors/body_fetch.hpp), paced like any sync.
#include "actors/matcher_index.hpp"
#include "actors/runtime.hpp"
#include "actors/sync_service.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "http/route_util.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/read_connection.hpp"

#include <atomic>
#include <stdexcept>

namespace gc::http {
namespace {

constexpr auto rematch_reply_after = std::chrono::seconds(20);
constexpr auto rematch_timeout = std::chrono::minutes(120);  // caf::duration knows no hours

// A JSON object body, or {} when the body is empty (curl -X POST without -d).
std::optional<json> optional_body(const request_ctx& req, const reply_fn& reply) {
  if (req.req.body().find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  return parse_json_body(req, reply);
}

json account_ref(const store::account_status& a) { return {{"id", a.id}, {"email", a.email}}; }

// Makes sure the mailbox's syncer runs and asks it to sync now (a syncer started here
// syncs at once anyway).
void nudge(api_context& ctx, int64_t id) {
  if (!ctx.sync->refresh_account(id, true)) ctx.sync->run_now(id);
}

void run_now(api_context& ctx, request_ctx req, reply_fn reply) {
  if (!require_sync(ctx, reply)) return;
  auto body = optional_body(req, reply);
  if (!body) return;
  std::optional<int64_t> only;
  if (auto it = body->find("account_id"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() <= 0)
      return reply(error_response(400, "bad_request", "'account_id' must be a positive integer"));
    only = it->get<int64_t>();
  }
  store::status_repo repo{store::api_read_connection(ctx.cfg.db_path)};
  auto accounts = repo.accounts();
  if (!accounts) {
    gc::log::error("run-now: read failed: {}", accounts.error().message);
    return reply(error_response(500, "internal", "could not read accounts"));
  }
  json queued = json::array(), paused = json::array();
  bool found = false;
  for (const auto& a : *accounts) {
    if (only && a.id != *only) continue;
    found = true;
    if (!a.sync_enabled) {
      paused.push_back(account_ref(a));
      continue;
    }
    nudge(ctx, a.id);
    queued.push_back(account_ref(a));
  }
  if (only && !found) return reply(error_response(404, "not_found", "no email account " + std::to_string(*only)));
  if (only && queued.empty())
    return reply(error_response(409, "account_paused",
                                "email account " + std::to_string(*only) + " is paused: resume it first"));
  reply(json_response(202, {{"queued", queued}, {"paused", paused}}));
}

// Records the end of the rematch run (async; a failure is only logged).
void finish_run(actors::runtime* rt, int64_t run_id, store::run_finish fin) {
  rt->write(
      [run_id, fin](store::connection& c) -> int64_t {
        auto r = store::email_accounts_repo{c}.finish_run(run_id, fin);
        if (!r) throw std::runtime_error(r.error().message);
        return 0;
      },
      [run_id](gc::result<int64_t> r) {
        if (!r) gc::log::error("rematch: run {} not recorded: {}", run_id, r.error().message);
      });
}

void rematch(api_context& ctx, request_ctx req, reply_fn reply) {
  if (!require_sync(ctx, reply)) return;
  auto body = optional_body(req, reply);
  if (!body) return;
  std::string since;  // "" = all stored mail
  if (auto it = body->find("since"); it != body->end() && !it->is_null()) {
    auto t = it->is_string() ? core::parse_iso8601(it->get<std::string>()) : std::nullopt;
    if (!t)
      return reply(error_response(400, "bad_request",
                                  "'since' must be an ISO-8601 date or time (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])"));
    since = core::iso8601_utc(*t);
  }
  auto matcher = caf::actor_cast<actors::matcher_index_actor>(ctx.sync->matcher());
  if (!matcher) return reply(error_response(503, "matcher_unavailable", "the matcher is not running"));
  auto run = ctx.rt.write_sync([](store::connection& c) -> int64_t {
    auto id = store::email_accounts_repo{c}.start_run(std::nullopt, "rematch");
    if (!id) throw std::runtime_error(id.error().message);
    return *id;
  });
  if (!run) {
    gc::log::error("rematch: run not started: {}", run.error().message);
    return reply(error_response(500, "internal", "could not record the rematch run"));
  }
  gc::log::info("rematch: run {} since '{}' by {}", *run, since, req.user->username);
  auto replied = std::make_shared<std::atomic<bool>>(false);
  auto once = [replied, reply](response_t res) {
    if (!replied->exchange(true)) reply(std::move(res));
  };
  ctx.rt.system().spawn([rt = &ctx.rt, sync = ctx.sync, matcher, since, run_id = *run,
                         once](caf::event_based_actor* self) -> caf::behavior {
    self->request(matcher, rematch_timeout, actors::rematch_atom_v, since)
        .then(
            [=](const actors::rematch_result& r) {
              finish_run(rt, run_id, {"ok", r.scanned, r.newly_matched, 0, 0, 0, std::nullopt});
              sync->fetch_bodies(r.needing_body);
              once(json_response(200, {{"status", "done"},
                                       {"run_id", run_id},
                                       {"since", since.empty() ? json(nullptr) : json(since)},
                                       {"scanned", r.scanned},
                                       {"matched", r.matched},
                                       {"newly_matched", r.newly_matched},
                                       {"links_added", r.links_added},
                                       {"bodies_to_fetch", r.needing_body.size()}}));
              self->quit();
            },
            [=](caf::error& e) {
              auto code = actors::error_code(e);
              gc::log::warn("rematch: run {} failed: {}", run_id, gc::log::redact(actors::error_detail(e)));
              finish_run(rt, run_id, {"error", 0, 0, 0, 0, 0, std::string{"rematch failed: "} + code});
              once(code == "unavailable"
                       ? error_response(503, "matcher_unavailable", "the matcher is not available; retry later")
                       : error_response(500, "internal", "the rematch failed; see the service log"));
              self->quit();
            });
    self->delayed_send(self, rematch_reply_after, caf::tick_atom_v);
    return {[=](caf::tick_atom) {
      once(json_response(202, {{"status", "running"}, {"run_id", run_id}}));
    }};
  });
}

} // namespace

void add_sync_routes(router& r, api_context& ctx) {
  r.post("/api/email/sync/run-now", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           run_now(ctx, std::move(req), std::move(reply));
         }));
  r.post("/api/email/rematch", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           rematch(ctx, std::move(req), std::move(reply));
         }));
}

} // namespace gc::http

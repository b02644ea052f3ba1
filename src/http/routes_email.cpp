// GET /api/email/status (also the Start9 health check) and GET /api/email/accounts. Every
// /api/email route except status answers 503 while the integration is off (route_util.hpp).
//
// Status is fast and never fails because Google is down: it reads the database on this
// thread's read-only connection and asks two local actors (supervisor, rate limiter) with
// short timeouts; a missing answer is reported as null, never as an error.
#include "actors/messages.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/runtime.hpp"
#include "actors/sync_service.hpp"
#include "core/log.hpp"
#include "http/route_util.hpp"
#include "store/read_connection.hpp"

#include <algorithm>
#include <memory>

namespace gc::http {
namespace {

constexpr auto limiter_timeout = std::chrono::milliseconds(500);
constexpr auto supervisor_timeout = std::chrono::seconds(5);

json run_json(const store::sync_run& r) {
  return {{"id", r.id},
          {"account_id", opt_json(r.account_id)},
          {"account_email", opt_json(r.account_email)},
          {"kind", r.kind},
          {"status", r.status},
          {"started_at", r.started_at},
          {"finished_at", opt_json(r.finished_at)},
          {"messages_seen", r.messages_seen},
          {"messages_stored", r.messages_stored},
          {"messages_skipped", r.messages_skipped},
          {"attachments_saved", r.attachments_saved},
          {"quota_units", r.quota_units},
          {"error", opt_json(r.error)}};
}

// quota_units_last_hour per mailbox: the larger of the rate limiter's sliding hour (live:
// running cycles and attachment downloads included; empty after a restart) and the sum over
// email_sync_runs started in the last hour (finished cycles only; survives restarts).
void merge_limiter(json& body, const actors::limiter_stats& st) {
  for (auto& a : body["accounts"]) {
    auto email = a["email"].get<std::string>();
    for (const auto& m : st.mailboxes)
      if (m.mailbox == email)
        a["quota_units_last_hour"] = std::max(a["quota_units_last_hour"].get<int64_t>(), m.units_last_hour);
  }
  body["quota"] = {{"project_units_last_hour", st.project_units_last_hour},
                   {"mailbox_units_sec", st.mailbox_units_sec},
                   {"project_units_sec", st.project_units_sec}};
}

json actors_json(const std::vector<actors::child_info>& kids) {
  json out = json::array();
  for (const auto& k : kids)
    out.push_back({{"name", k.name},
                   {"alive", k.alive},
                   {"restarts", k.restarts},
                   {"last_exit_reason", k.last_exit_reason}});
  return out;
}

// A status body waiting for the actors' answers. Shared by the bridge actor's handlers (they
// run one at a time on that actor), so the body is built once and never copied.
struct pending_status {
  json body;
  reply_fn reply;
  int waiting = 0;
  void answered() {
    if (--waiting == 0) reply(json_response(200, body));
  }
};

// Actor health (restart counts from the supervisor) and the rate limiter's numbers, asked at
// once by ONE bridge actor (style.md §1.6), then the reply. A slow or missing answer must not
// fail the health check: each request is bounded and its absence is reported as null.
void ask_actors(api_context& ctx, json body, reply_fn reply) {
  actors::rate_limiter_actor lim;
  if (ctx.sync && body.contains("accounts")) lim = ctx.sync->limiter();
  if (!lim) body["quota"] = nullptr;
  auto p = std::make_shared<pending_status>(pending_status{std::move(body), std::move(reply), lim ? 2 : 1});
  ctx.rt.system().spawn([sup = ctx.rt.supervisor(), lim, p](caf::event_based_actor* self) {
    self->request(sup, supervisor_timeout, actors::status_atom_v)
        .then(
            [p](const std::vector<actors::child_info>& kids) {
              p->body["actors"] = actors_json(kids);
              p->answered();
            },
            [p](caf::error&) {
              p->body["actors"] = nullptr;
              p->answered();
            });
    if (!lim) return;
    self->request(lim, limiter_timeout, actors::stats_atom_v)
        .then(
            [p](const actors::limiter_stats& st) {
              merge_limiter(p->body, st);
              p->answered();
            },
            [p](caf::error&) {
              p->body["quota"] = nullptr;
              p->answered();
            });
  });
}

} // namespace

void add_email_routes(router& r, api_context& ctx) {
  r.get("/api/email/status", access::user, [&ctx](request_ctx, reply_fn reply) {
    json body{{"enabled", ctx.cfg.gmail_enabled},
              {"auth_method", core::to_string(ctx.cfg.gmail_auth)},
              {"workspace_domain", ctx.cfg.workspace_domain},
              {"quota_costs", core::to_string(ctx.cfg.quota_costs)},
              {"version", GC_VERSION}};
    store::status_repo repo{store::api_read_connection(ctx.cfg.db_path)};
    if (auto snap = repo.snapshot(10)) {
      body["accounts"] = json::array();
      for (const auto& a : snap->accounts) body["accounts"].push_back(account_json(a));
      body["counts"] = {{"emails", snap->counts.emails},
                        {"matched", snap->counts.matched},
                        {"attachments", snap->counts.attachments_stored}};
      body["sync_runs"] = json::array();
      for (const auto& run : snap->recent_runs) body["sync_runs"].push_back(run_json(run));
    } else {
      gc::log::error("status: store read failed: {}", snap.error().message);
      body["store_error"] = "the database could not be read";
    }
    ask_actors(ctx, std::move(body), std::move(reply));
  });

  r.get("/api/email/accounts", access::user, needs_gmail(ctx, [&ctx](request_ctx, reply_fn reply) {
          store::status_repo repo{store::api_read_connection(ctx.cfg.db_path)};
          auto accounts = repo.accounts();
          if (!accounts) return reply(error_response(500, "internal", "could not read accounts"));
          json out = json::array();
          for (const auto& a : *accounts) out.push_back(account_json(a));
          reply(json_response(200, {{"accounts", out}}));
        }));
}

} // namespace gc::http

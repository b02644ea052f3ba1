// GET /api/email/status (also the Start9 health check) and GET /api/email/accounts. Every
// /api/email route except status answers 503 while the integration is off (route_util.hpp).
//
// Status is fast and never fails because Google is down: it reads the database on this
// thread's read-only connection and asks two local actors (supervisor, rate limiter) with
// short timeouts; a missing answer is reported as null, never as an error.
#include "actors/rate_limiter.hpp"
#include "actors/runtime.hpp"
#include "actors/sync_service.hpp"
#include "core/log.hpp"
#include "http/route_util.hpp"
#include "store/read_connection.hpp"

#include <algorithm>

namespace gc::http {
namespace {

constexpr auto limiter_timeout = std::chrono::milliseconds(500);

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

// Adds the limiter's numbers when it answers in time, then replies.
void with_limiter(api_context& ctx, json body, reply_fn reply) {
  if (!ctx.sync || !ctx.sync->limiter() || !body.contains("accounts")) {
    body["quota"] = nullptr;
    return reply(json_response(200, body));
  }
  ctx.rt.system().spawn([lim = ctx.sync->limiter(), body, reply](caf::event_based_actor* self) mutable {
    self->request(lim, limiter_timeout, actors::stats_atom_v)
        .then(
            [body, reply](const actors::limiter_stats& st) mutable {
              merge_limiter(body, st);
              reply(json_response(200, body));
            },
            [body, reply](caf::error&) mutable {
              body["quota"] = nullptr;
              reply(json_response(200, body));
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
    store::status_repo repo{store::read_connection(ctx.cfg.db_path)};
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
    // Actor health: restart counts from the supervisor. A slow answer must not fail the
    // health check, so the request is bounded and its absence is reported, not an error.
    ctx.rt.children([&ctx, body, reply](gc::result<std::vector<actors::runtime::child_status>> kids) mutable {
      if (kids) {
        body["actors"] = json::array();
        for (const auto& k : *kids)
          body["actors"].push_back({{"name", k.name},
                                    {"alive", k.alive},
                                    {"restarts", k.restarts},
                                    {"last_exit_reason", k.last_exit_reason}});
      } else {
        body["actors"] = nullptr;
      }
      with_limiter(ctx, std::move(body), std::move(reply));
    });
  });

  r.get("/api/email/accounts", access::user, needs_gmail(ctx, [&ctx](request_ctx, reply_fn reply) {
          store::status_repo repo{store::read_connection(ctx.cfg.db_path)};
          auto accounts = repo.accounts();
          if (!accounts) return reply(error_response(500, "internal", "could not read accounts"));
          json out = json::array();
          for (const auto& a : *accounts) out.push_back(account_json(a));
          reply(json_response(200, {{"accounts", out}}));
        }));
}

} // namespace gc::http

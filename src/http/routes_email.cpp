// GET /api/email/status (also the Start9 health check) and the /api/email/* routes that exist
// so far. Every /api/email route except status answers 503 while the integration is off.
#include "actors/runtime.hpp"
#include "core/log.hpp"
#include "http/api.hpp"
#include "store/read_connection.hpp"
#include "store/status_repo.hpp"

namespace gc::http {
namespace {

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json account_json(const store::account_status& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"state", a.sync_enabled ? a.state : std::string{"paused"}},
          {"sync_enabled", a.sync_enabled},
          {"backfill", {{"done", a.backfill_done}, {"total", opt(a.backfill_total)}}},
          {"last_success_at", opt(a.last_success_at)},
          {"last_history_at", opt(a.last_history_at)},
          {"last_error", opt(a.last_error)},
          {"last_error_at", opt(a.last_error_at)}};
}

json run_json(const store::sync_run& r) {
  return {{"id", r.id},
          {"account_id", opt(r.account_id)},
          {"account_email", opt(r.account_email)},
          {"kind", r.kind},
          {"status", r.status},
          {"started_at", r.started_at},
          {"finished_at", opt(r.finished_at)},
          {"messages_seen", r.messages_seen},
          {"messages_stored", r.messages_stored},
          {"messages_skipped", r.messages_skipped},
          {"attachments_saved", r.attachments_saved},
          {"quota_units", r.quota_units},
          {"error", opt(r.error)}};
}

// Wraps a handler of an /api/email route that needs the Gmail integration.
handler needs_gmail(api_context& ctx, handler h) {
  return [&ctx, h = std::move(h)](request_ctx req, reply_fn reply) {
    if (!ctx.cfg.gmail_enabled)
      return reply(error_response(503, "gmail_disabled",
                                  "the Gmail integration is disabled (CRM_GMAIL_INTEGRATION_ENABLED is off)"));
    h(std::move(req), std::move(reply));
  };
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
    ctx.rt.children([body, reply](gc::result<std::vector<actors::runtime::child_status>> kids) mutable {
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
      reply(json_response(200, body));
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

#include "http/route_util.hpp"

#include <charconv>

namespace gc::http {

handler needs_gmail(api_context& ctx, handler h) {
  return [&ctx, h = std::move(h)](request_ctx req, reply_fn reply) {
    if (!ctx.cfg.gmail_enabled)
      return reply(error_response(503, "gmail_disabled",
                                  "the Gmail integration is disabled (CRM_GMAIL_INTEGRATION_ENABLED is off)"));
    h(std::move(req), std::move(reply));
  };
}

bool require_sync(api_context& ctx, const reply_fn& reply) {
  if (ctx.sync) return true;
  reply(error_response(503, "sync_unavailable", "the sync service is not running"));
  return false;
}

std::optional<int64_t> id_param(const request_ctx& req, const reply_fn& reply) {
  auto it = req.params.find("id");
  int64_t v = 0;
  if (it != req.params.end() && !it->second.empty()) {
    const auto& s = it->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc{} && end == s.data() + s.size() && v > 0) return v;
  }
  reply(error_response(400, "bad_request", "the id in the path must be a positive integer"));
  return std::nullopt;
}

json account_json(const store::account_status& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"state", a.sync_enabled ? a.state : std::string{"paused"}},
          {"sync_enabled", a.sync_enabled},
          {"backfill", {{"done", a.backfill_done}, {"total", opt_json(a.backfill_total)}}},
          {"last_success_at", opt_json(a.last_success_at)},
          {"last_history_at", opt_json(a.last_history_at)},
          {"lag_seconds", opt_json(a.lag_seconds)},
          {"last_error", opt_json(a.last_error)},
          {"last_error_at", opt_json(a.last_error_at)},
          {"quota_units_last_hour", a.quota_units_last_hour}};
}

} // namespace gc::http

// OAuth enrolment of a mailbox (gmail-api.md §1.2):
//   GET /api/email/oauth/start     admin; {"url","expires_at"}, or a 302 to Google with ?redirect=1.
//                                  ?mailbox=a@x.com becomes the consent page's login_hint.
//   GET /api/email/oauth/callback  open (Google sends the browser here): checks the one-time
//                                  state, exchanges the code, stores the sealed refresh token on
//                                  the mailbox's email_accounts row (created when absent), and
//                                  answers a small HTML page (JSON if the client asks for it).
#include "core/clock.hpp"
#include "core/log.hpp"
#include "gmail/services.hpp"
#include "core/encoding.hpp"
#include "http/api.hpp"

namespace gc::http {
namespace {

using core::html_escape;

bool wants_json(const request_ctx& req) {
  auto accept = req.req[bhttp::field::accept];
  return accept.find("application/json") != std::string_view::npos &&
         accept.find("text/html") == std::string_view::npos;
}

response_t page(unsigned status, const std::string& title, const std::string& text) {
  response_t res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  res.set("Referrer-Policy", "no-referrer");
  res.body() = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
               "</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>" +
               html_escape(title) + "</h1><p>" + html_escape(text) + "</p></body></html>";
  res.prepare_payload();
  return res;
}

// The callback's answer as a page or JSON.
response_t answer(bool json_wanted, unsigned status, const std::string& code, const std::string& title,
                  const std::string& text, json extra = json::object()) {
  if (!json_wanted) return page(status, title, text);
  if (status >= 400) return error_response(status, code, text);
  extra["message"] = text;
  return json_response(status, extra);
}

// Why the OAuth routes cannot work right now, or nullopt.
std::optional<response_t> unavailable(api_context& ctx) {
  if (!ctx.cfg.gmail_enabled)
    return error_response(503, "gmail_disabled",
                          "the Gmail integration is disabled (CRM_GMAIL_INTEGRATION_ENABLED is off)");
  if (!ctx.gmail || !ctx.gmail->consent)
    return error_response(503, "oauth_unavailable",
                          "mailbox consent needs CRM_GMAIL_AUTH_METHOD=oauth and a complete OAuth configuration");
  return std::nullopt;
}

void start(api_context& ctx, request_ctx req, reply_fn reply) {
  if (auto no = unavailable(ctx)) return reply(std::move(*no));
  auto hint = req.q("mailbox").value_or(req.q("login_hint").value_or(""));
  auto s = ctx.gmail->consent->start(req.user ? req.user->user_id : 0, hint);
  gc::log::info("oauth: consent started by user {}{}", req.user ? req.user->username : std::string{"?"},
                hint.empty() ? std::string{} : " for " + hint);
  if (req.q("redirect").value_or("") == "1") {
    response_t res{bhttp::status::found, 11};
    res.set(bhttp::field::location, s.url);
    res.set(bhttp::field::cache_control, "no-store");
    res.prepare_payload();
    return reply(std::move(res));
  }
  reply(json_response(200, {{"url", s.url}, {"expires_at", core::iso8601_utc(s.expires_at)}}));
}

void callback(api_context& ctx, request_ctx req, reply_fn reply) {
  const bool as_json = wants_json(req);
  if (!ctx.cfg.gmail_enabled || !ctx.gmail || !ctx.gmail->consent)
    return reply(answer(as_json, 503, "oauth_unavailable", "Mailbox connection unavailable",
                        "Mailbox consent is not enabled on this service (CRM_GMAIL_AUTH_METHOD=oauth)."));
  if (auto err = req.q("error")) {
    gc::log::warn("oauth: consent callback with error '{}'", *err);
    auto text = *err == "access_denied" ? std::string{"The Google account holder declined the consent; nothing was stored."}
                                        : "Google ended the consent with an error (" + *err + "); nothing was stored.";
    return reply(answer(as_json, 400, "consent_" + *err, "Mailbox not connected", text));
  }
  auto state = req.q("state").value_or("");
  auto code = req.q("code").value_or("");
  ctx.gmail->consent->finish(state, code, [as_json, reply](gmail::outcome<gmail::oauth_consent::enrolled> r) {
    if (!r) {
      const auto& e = r.error();
      auto text = gmail::describe(e);
      gc::log::warn("oauth: consent not completed: {}", text);
      unsigned status = e.kind == gmail::error_kind::retryable ? 502 : 400;
      return reply(answer(as_json, status, e.reason.empty() ? "consent_failed" : e.reason, "Mailbox not connected", text));
    }
    reply(answer(as_json, 200, "", "Mailbox connected",
                 "Gmail capture can now read " + r->mailbox + ". You can close this window.",
                 json{{"mailbox", r->mailbox}, {"scopes", gmail::short_scopes(r->granted)}}));
  });
}

} // namespace

void add_oauth_routes(router& r, api_context& ctx) {
  r.get("/api/email/oauth/start", access::admin,
        [&ctx](request_ctx req, reply_fn reply) { start(ctx, std::move(req), std::move(reply)); });
  r.get("/api/email/oauth/callback", access::open,
        [&ctx](request_ctx req, reply_fn reply) { callback(ctx, std::move(req), std::move(reply)); });
}

} // namespace gc::http

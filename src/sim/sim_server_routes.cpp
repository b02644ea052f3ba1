// Sim-only routes under /__sim/ (never a Google path): counters for tests and benchmarks, and
// control knobs. Parameters come from the query string, a form or a JSON object body.
//   GET  /__sim/stats                  quota, faults, tokens, batch, gmail counters
//   POST /__sim/stats/reset
//   GET  /__sim/truth (JSON Lines) | /__sim/crm-seed | /__sim/service-account
//   POST /__sim/tick?n=N               live mail steps
//   POST /__sim/expire-history[?user=] every earlier startHistoryId now 404s
//   POST /__sim/history-horizon?user=&id=
//   POST /__sim/empty-history-pages?on=true|false
//   POST /__sim/large-body-threshold?bytes=N
//   POST /__sim/delete-message?user=&id=     POST /__sim/labels?user=&id=&add=A,B&remove=C
//   POST /__sim/revoke?token=T | ?user=U
//   POST /__sim/faults {fail_500,fail_503,drop,slow_ms,history_404,token_internal_failure,seed}
//   POST /__sim/faults/next {error,mailbox,count,method,retry_after_s|retry_at}  scripted errors:
//        the next `count` (1) calls of `mailbox` ("" any) answer catalog entry `error`; `method`
//        narrows Gmail entries to one method ("users.messages.get") or, as "batch", targets the
//        outer batch request; token_* entries hit /token (mailbox = the grant's subject)
//   GET  /__sim/faults/catalog         the entries     POST /__sim/faults/clear  drops scripts
//   POST /__sim/quota  {table,user_per_min,project_per_min,inflight_cap,user_style}
//   POST /__sim/batch  {cap,shuffle,seed}
//   POST /__sim/clock/advance?seconds=N      POST /__sim/token-ttl?seconds=N
//   POST /__sim/oauth  {deny_consent,test_user}      POST /__sim/dwd-scopes {"scopes":[…]}
#include "sim/sim_server.hpp"

#include "core/clock.hpp"
#include "sim/endpoint_errors.hpp"
#include "sim/error_catalog.hpp"

#include <sstream>

namespace gc::sim {
namespace {

using http::request_ctx;
using http::reply_fn;

json body_of(const request_ctx& ctx) {
  auto j = json::parse(ctx.req.body(), nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string param(const request_ctx& ctx, const char* name) {
  if (auto v = ctx.q(name)) return *v;
  auto ct = std::string{ctx.req[http::bhttp::field::content_type]};
  if (ct.rfind("application/x-www-form-urlencoded", 0) == 0) {
    std::string path;
    std::multimap<std::string, std::string> form;
    if (http::split_target("/?" + ctx.req.body(), path, form))
      if (auto it = form.find(name); it != form.end()) return it->second;
    return {};
  }
  auto b = body_of(ctx);
  if (auto it = b.find(name); it != b.end()) return it->is_string() ? it->get<std::string>() : it->dump();
  return {};
}

std::vector<std::string> csv(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

http::response_t ok(json j = {{"ok", true}}) { return http::json_response(200, j); }
http::response_t bad(const std::string& m) { return http::error_response(400, "bad_request", m); }
http::response_t from_status(const gc::status& s) {
  return s ? ok() : http::error_response(s.error().code == "not_found" ? 404 : 400, s.error().code, s.error().message);
}

bool known_method(const std::string& m) {
  for (int i = 0; i <= static_cast<int>(gmail_method::stop); ++i)
    if (method_name(static_cast<gmail_method>(i)) == m) return true;
  return false;
}

template <class T>
void merge(const json& b, const char* key, T& into) {
  if (auto it = b.find(key); it != b.end() && !it->is_null()) into = it->get<T>();
}

} // namespace

void sim_server::install_sim_routes() {
  using http::access;
  auto& r = router_;
  auto route = [&r](http::bhttp::verb v, const char* path, std::function<http::response_t(const request_ctx&)> fn) {
    r.add(v, path, access::open, [fn = std::move(fn)](request_ctx ctx, reply_fn reply) {
      try {
        reply(fn(ctx));
      } catch (const std::exception& e) {
        reply(bad(e.what()));
      }
    });
  };
  const auto GET = http::bhttp::verb::get;
  const auto POST = http::bhttp::verb::post;

  route(GET, "/__sim/stats", [this](const request_ctx&) { return ok(stats()); });
  route(POST, "/__sim/stats/reset", [this](const request_ctx&) { quota_.reset_stats(); return ok(); });
  route(GET, "/__sim/truth", [this](const request_ctx&) {
    std::ostringstream out;
    ws_->write_truth(out);
    http::response_t res{http::bhttp::status::ok, 11};  // JSON lines, as --truth writes them
    res.set(http::bhttp::field::content_type, "application/x-ndjson");
    res.body() = out.str();
    res.prepare_payload();
    return res;
  });
  route(GET, "/__sim/crm-seed", [this](const request_ctx&) { return ok(ws_->crm_seed()); });
  route(GET, "/__sim/service-account", [this](const request_ctx&) {
    return ok(service_account_key_json(sa_, token_uri()));
  });
  route(POST, "/__sim/tick", [this](const request_ctx& ctx) {
    auto n = param(ctx, "n");
    auto s = tick_live(n.empty() ? 1 : std::stoi(n));
    return ok({{"added", s.added}, {"deleted", s.deleted}, {"relabelled", s.relabelled}});
  });
  route(POST, "/__sim/expire-history", [this](const request_ctx& ctx) {
    auto user = param(ctx, "user");
    for (const auto& m : ws_->mailboxes())
      if (user.empty() || m == user) ws_->expire_history(m);
    return ok();
  });
  route(POST, "/__sim/history-horizon", [this](const request_ctx& ctx) {
    ws_->set_history_horizon(param(ctx, "user"), std::stoull(param(ctx, "id")));
    return ok();
  });
  route(POST, "/__sim/empty-history-pages", [this](const request_ctx& ctx) {
    ws_->set_empty_history_pages(param(ctx, "on") != "false");
    return ok();
  });
  route(POST, "/__sim/large-body-threshold", [this](const request_ctx& ctx) {
    ws_->set_large_body_threshold(std::stoull(param(ctx, "bytes")));
    return ok();
  });
  route(POST, "/__sim/delete-message", [this](const request_ctx& ctx) {
    return from_status(ws_->delete_message(param(ctx, "user"), param(ctx, "id")));
  });
  route(POST, "/__sim/labels", [this](const request_ctx& ctx) {
    return from_status(ws_->modify_labels(param(ctx, "user"), param(ctx, "id"), csv(param(ctx, "add")),
                                          csv(param(ctx, "remove"))));
  });
  route(POST, "/__sim/revoke", [this](const request_ctx& ctx) {
    if (auto user = param(ctx, "user"); !user.empty()) return ok({{"revoked", tokens_.revoke_subject(user)}});
    return tokens_.revoke(param(ctx, "token")) ? ok({{"revoked", 1}}) : bad("unknown token");
  });
  route(POST, "/__sim/faults", [this](const request_ctx& ctx) {
    auto b = body_of(ctx);
    auto o = faults_.options();
    merge(b, "fail_500", o.fail_500);
    merge(b, "fail_503", o.fail_503);
    merge(b, "drop", o.drop);
    merge(b, "slow_ms", o.slow_ms);
    merge(b, "history_404", o.history_404);
    merge(b, "token_internal_failure", o.token_internal_failure);
    merge(b, "seed", o.seed);
    faults_.set_options(o);
    return ok(faults_.stats()["options"]);
  });
  route(POST, "/__sim/faults/next", [this](const request_ctx& ctx) {
    scripted_error s;
    s.error = param(ctx, "error");
    const auto* entry = find_catalog_entry(s.error);
    if (!entry) return bad("unknown error '" + s.error + "'; GET /__sim/faults/catalog lists the names");
    s.mailbox = param(ctx, "mailbox");
    s.method = param(ctx, "method");
    auto count = param(ctx, "count");
    s.count = count.empty() ? 1 : std::stoi(count);
    if (s.count < 1) return bad("count must be at least 1");
    if (is_token_entry(*entry)) {
      if (!s.method.empty()) return bad("token_* entries take no method");
      s.target = script_target::token;
    } else if (s.method == "batch") {
      s.target = script_target::batch;
      s.method.clear();
    } else if (!s.method.empty() && !known_method(s.method)) {
      return bad("unknown method '" + s.method + "' (e.g. users.messages.get, or batch)");
    }
    if (auto at = param(ctx, "retry_at"); !at.empty()) {
      auto t = core::parse_iso8601(at);
      if (!t) return bad("retry_at must be an RFC 3339 time");
      s.retry_at = *t;
    } else {
      auto secs = param(ctx, "retry_after_s");
      s.retry_at = clock_.now() + std::chrono::seconds(secs.empty() ? 30 : std::stoll(secs));
    }
    json echo = {{"error", s.error}, {"mailbox", s.mailbox}, {"count", s.count},
                 {"retry_at", rfc3339_ms(s.retry_at)}};
    faults_.script(std::move(s));
    return ok(echo);
  });
  route(GET, "/__sim/faults/catalog", [](const request_ctx&) { return ok(catalog_json()); });
  route(POST, "/__sim/faults/clear", [this](const request_ctx&) {
    faults_.clear_scripted();
    return ok();
  });
  route(POST, "/__sim/quota", [this](const request_ctx& ctx) {
    auto b = body_of(ctx);
    auto o = quota_.options();
    if (auto t = b.value("table", ""); !t.empty()) {
      auto table = parse_quota_table(t);
      if (!table) return bad("table must be legacy or 2026");
      o.table = *table;
    }
    merge(b, "user_per_min", o.user_per_min);
    merge(b, "project_per_min", o.project_per_min);
    merge(b, "inflight_cap", o.inflight_cap);
    if (auto s = b.value("user_style", ""); !s.empty()) {
      if (s == "queries") o.user_style = user_limit_style::queries_403;
      else if (s == "legacy") o.user_style = user_limit_style::legacy_403;
      else if (s == "retry_after") o.user_style = user_limit_style::retry_after_429;
      else return bad("user_style must be queries, legacy or retry_after");
    }
    quota_.set_options(o);
    return ok(quota_.stats()["limits"]);
  });
  route(POST, "/__sim/batch", [this](const request_ctx& ctx) {
    auto b = body_of(ctx);
    auto o = batch_ep_.options();
    merge(b, "cap", o.cap);
    merge(b, "shuffle", o.shuffle);
    merge(b, "seed", o.seed);
    batch_ep_.set_options(o);
    return ok({{"cap", o.cap}, {"shuffle", o.shuffle}});
  });
  route(POST, "/__sim/clock/advance", [this](const request_ctx& ctx) {
    clock_.advance(std::chrono::seconds(std::stoll(param(ctx, "seconds"))));
    return ok({{"offset_ms", clock_.offset().count()}});
  });
  route(POST, "/__sim/token-ttl", [this](const request_ctx& ctx) {
    tokens_.set_ttl(std::chrono::seconds(std::stoll(param(ctx, "seconds"))));
    return ok();
  });
  route(POST, "/__sim/oauth", [this](const request_ctx& ctx) {
    auto b = body_of(ctx);
    auto c = token_ep_.get_oauth_client();
    merge(b, "deny_consent", c.deny_consent);
    merge(b, "test_user", c.test_user);
    token_ep_.set_oauth_client(c);
    return ok();
  });
  route(POST, "/__sim/dwd-scopes", [this](const request_ctx& ctx) {
    auto scopes = body_of(ctx).value("scopes", std::vector<std::string>{});
    for (auto& s : scopes) s = full_scope(s);
    token_ep_.set_dwd_scopes(sa_.client_email, scopes);
    return ok();
  });
}

} // namespace gc::sim

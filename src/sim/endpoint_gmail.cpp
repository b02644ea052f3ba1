#include "sim/endpoint_gmail.hpp"

#include "sim/endpoint_errors.hpp"
#include "sim/endpoint_fields.hpp"
#include "sim/error_catalog.hpp"
#include "sim/faults.hpp"
#include "sim/quota_meter.hpp"
#include "sim/sim_server_timer.hpp"
#include "sim/token_store.hpp"
#include "sim/workspace.hpp"

namespace gc::sim {

http::response_t model_error(const gc::error& e) {
  if (e.code == "not_found") return not_found();
  if (e.code == "invalid_argument") return invalid_argument(e.message);
  if (e.code == "metadata_scope") return forbidden(e.message);
  if (e.code == "failed_precondition")
    return google_error(400, "Mail service not enabled", "global", "failedPrecondition",
                        "FAILED_PRECONDITION");
  return backend_error();
}

gmail_endpoint::gmail_endpoint(workspace& ws, const token_store& tokens, quota_meter& quota,
                               fault_injector& faults, sim_timer& timer)
    : ws_(ws), tokens_(tokens), quota_(quota), faults_(faults), timer_(timer) {}

void gmail_endpoint::install(http::router& r) {
  install_reads(r);
  install_writes(r);
}

void gmail_endpoint::add(http::router& r, http::bhttp::verb v, const std::string& path, route_spec spec) {
  r.add(v, path, http::access::open, [this, spec = std::move(spec)](http::request_ctx ctx, http::reply_fn reply) {
    run(ctx, reply, spec);
  });
}

http::response_t gmail_endpoint::to_response(const gc::result<json>& r, const http::request_ctx& ctx) const {
  if (!r) return model_error(r.error());
  const json* body = &*r;
  gc::result<json> filtered = json{};
  if (auto f = ctx.q("fields"); f && !f->empty()) {
    filtered = apply_fields(*r, *f);
    if (!filtered) return invalid_argument(filtered.error().message);
    body = &*filtered;
  }
  auto pretty = ctx.q("prettyPrint");
  bool compact = pretty && (*pretty == "false" || *pretty == "0");
  http::response_t res{http::bhttp::status::ok, 11};
  res.set(http::bhttp::field::content_type, "application/json; charset=UTF-8");
  res.set(http::bhttp::field::vary, "Origin, X-Origin, Referer");
  res.body() = body->dump(compact ? -1 : 2, ' ', false, json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

void gmail_endpoint::run(const http::request_ctx& ctx, const http::reply_fn& reply, const route_spec& spec) {
  std::string hold{ctx.req[batch_hold_header]};
  const bool inner = !hold.empty() && quota_.hold_open(hold);
  if (!inner) hold.clear();
  const auto delay = faults_.delay();
  {
    std::lock_guard lock{mu_};
    ++calls_[std::string{method_name(spec.method)}];
  }

  switch (faults_.roll(!inner)) {
    case fault::drop: {
      http::response_t res{http::bhttp::status::internal_server_error, 11};
      res.set(drop_header, "1");
      return finish(std::move(res), reply, {}, {}, delay);
    }
    case fault::backend_500: return finish(backend_error(), reply, {}, {}, delay);
    case fault::unavailable_503: return finish(service_unavailable(), reply, {}, {}, delay);
    case fault::none: break;
  }

  auto who = authorize_gmail(ctx, tokens_, ws_, spec.need);
  if (auto* refusal = std::get_if<http::response_t>(&who)) return finish(std::move(*refusal), reply, {}, {}, delay);
  const auto& caller = std::get<gmail_caller>(who);

  // A scripted catalog error for this mailbox (and method) answers before quota is charged.
  if (auto s = faults_.take_scripted(script_target::gmail, caller.mailbox, method_name(spec.method)))
    if (const auto* e = find_catalog_entry(s->error))
      return finish(catalog_response(*e, {caller.mailbox, s->retry_at}), reply, {}, {}, delay);

  if (!quota_.acquire(caller.mailbox)) return finish(too_many_concurrent(), reply, {}, {}, delay);
  auto decision = quota_.charge(caller.mailbox, spec.method);
  if (decision.verdict != quota_verdict::ok)
    return finish(quota_.refusal(decision), reply, caller.mailbox, hold, delay);

  http::response_t res;
  try {
    res = to_response(spec.op(caller, ctx), ctx);
  } catch (const std::exception&) {
    res = backend_error();
  }
  finish(std::move(res), reply, caller.mailbox, hold, delay);
}

// Returns the in-flight slot (if `mailbox` is set) and replies, after `delay` when there is one.
void gmail_endpoint::finish(http::response_t res, const http::reply_fn& reply, const std::string& mailbox,
                            const std::string& hold, std::chrono::milliseconds delay) {
  {
    std::lock_guard lock{mu_};
    ++statuses_[res.count(drop_header) ? std::string{"dropped"} : std::to_string(res.result_int())];
  }
  auto done = [this, res = std::move(res), reply, mailbox, hold]() mutable {
    if (!mailbox.empty()) quota_.release(mailbox, hold);
    reply(std::move(res));
  };
  if (delay.count() > 0) timer_.after(delay, std::move(done));
  else done();
}

json gmail_endpoint::stats() const {
  std::lock_guard lock{mu_};
  return {{"calls", calls_}, {"status", statuses_}};
}

} // namespace gc::sim

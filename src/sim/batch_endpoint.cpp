#include "sim/batch_endpoint.hpp"

#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "sim/batch_codec.hpp"
#include "sim/endpoint_auth.hpp"
#include "sim/endpoint_errors.hpp"
#include "sim/endpoint_gmail.hpp"
#include "sim/error_catalog.hpp"
#include "sim/faults.hpp"
#include "sim/quota_meter.hpp"
#include "sim/token_store.hpp"

#include <algorithm>
#include <atomic>
#include <numeric>

namespace gc::sim {
namespace {

bool framing_header(std::string_view name) {
  auto lower = [](std::string_view s) {
    std::string o{s};
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return std::tolower(c); });
    return o;
  };
  auto n = lower(name);
  return n.rfind("content-", 0) == 0 || n == "transfer-encoding" || n == batch_hold_header ||
         lower(batch_hold_header) == n;
}

// One batch in progress: the answers arrive from inner calls, possibly on the timer thread.
struct pending_batch {
  std::vector<batch_response_part> parts;
  std::vector<size_t> order;
  std::atomic<size_t> left{0};
  http::reply_fn reply;
  std::string hold;
  quota_meter* quota = nullptr;

  void answered(size_t i, http::response_t r) {
    parts[i].response = std::move(r);
    if (--left != 0) return;
    quota->close_hold(hold);
    std::vector<batch_response_part> ordered;
    ordered.reserve(parts.size());
    for (size_t k : order) ordered.push_back(std::move(parts[k]));
    auto boundary = "batch_" + core::base64url_encode(core::random_bytes(15));
    http::response_t res{http::bhttp::status::ok, 11};
    res.set(http::bhttp::field::content_type, "multipart/mixed; boundary=" + boundary);
    res.set(http::bhttp::field::vary, "Origin, X-Origin, Referer");
    res.body() = render_batch_response(ordered, boundary);
    res.prepare_payload();
    reply(std::move(res));
  }
};

} // namespace

batch_endpoint::batch_endpoint(const http::router& r, quota_meter& quota, fault_injector& faults,
                               const token_store& tokens, batch_options opts)
    : router_(r), quota_(quota), faults_(faults), tokens_(tokens), opts_(opts), rng_(opts.seed) {}

void batch_endpoint::install(http::router& r) {
  for (const char* p : {"/batch/gmail/v1", "/batch"})
    r.post(p, http::access::open, [this](http::request_ctx ctx, http::reply_fn reply) { handle(ctx, reply); });
}

batch_options batch_endpoint::options() const {
  std::lock_guard lock{mu_};
  return opts_;
}

void batch_endpoint::set_options(const batch_options& o) {
  std::lock_guard lock{mu_};
  if (o.seed != opts_.seed) rng_.seed(o.seed);
  opts_ = o;
}

json batch_endpoint::stats() const {
  std::lock_guard lock{mu_};
  return {{"batches", batches_}, {"inner_calls", inner_}, {"too_large", too_large_}, {"malformed", malformed_}};
}

void batch_endpoint::handle(const http::request_ctx& ctx, const http::reply_fn& reply) {
  switch (faults_.roll(true)) {
    case fault::drop: {
      http::response_t res{http::bhttp::status::internal_server_error, 11};
      res.set(drop_header, "1");
      return reply(std::move(res));
    }
    case fault::backend_500: return reply(backend_error());
    case fault::unavailable_503: return reply(service_unavailable());
    case fault::none: break;
  }
  // Outer credentials are checked once: a bad outer token fails the whole batch (one JSON body).
  if (auto tok = bearer_of(ctx.req); !tok.empty()) {
    auto grant = tokens_.find_access(tok);
    if (!grant) return reply(auth_error());
    // A script with method "batch" fails the whole batch (one non-multipart body).
    if (auto s = faults_.take_scripted(script_target::batch, grant->subject))
      if (const auto* e = find_catalog_entry(s->error))
        return reply(catalog_response(*e, {grant->subject, s->retry_at}));
  }

  auto ct = std::string{ctx.req[http::bhttp::field::content_type]};
  auto parsed = parse_batch_request(ct, ctx.req.body());
  if (!parsed || parsed->empty()) {
    std::lock_guard lock{mu_};
    ++malformed_;
    auto why = parsed ? std::string{"no parts"} : parsed.error().message;
    return reply(status_error(400, "Failed to parse batch request, error: " + why + ". Received batch body: (" +
                                       std::to_string(ctx.req.body().size()) + ") bytes redacted",
                              "INVALID_ARGUMENT"));
  }
  auto parts = std::move(*parsed);

  auto state = std::make_shared<pending_batch>();
  {
    std::lock_guard lock{mu_};
    if (parts.size() > opts_.cap) {
      ++too_large_;
      return reply(batch_too_large(parts.size(), opts_.cap));
    }
    ++batches_;
    inner_ += static_cast<int64_t>(parts.size());
    state->hold = "batch-" + std::to_string(++seq_) + "-" + core::base64url_encode(core::random_bytes(6));
    state->order.resize(parts.size());
    std::iota(state->order.begin(), state->order.end(), size_t{0});
    if (opts_.shuffle) std::shuffle(state->order.begin(), state->order.end(), rng_);
  }
  state->parts.resize(parts.size());
  state->left = parts.size();
  state->reply = reply;
  state->quota = &quota_;
  quota_.open_hold(state->hold);

  for (size_t i = 0; i < parts.size(); ++i) {
    auto& p = parts[i];
    state->parts[i].content_id = p.content_id;
    auto method = http::bhttp::string_to_verb(p.method);
    if (method == http::bhttp::verb::unknown) {
      state->answered(i, bad_request("Invalid HTTP method in batch part: " + p.method));
      continue;
    }
    if (p.target.empty() || p.target.front() != '/') {
      state->answered(i, bad_request("Batch part request lines must carry a path, not a full URL"));
      continue;
    }
    if (p.target.rfind("/gmail/v1/", 0) != 0) {
      state->answered(i, not_found());
      continue;
    }
    http::request_t req{method, p.target, 11};
    for (const auto& f : ctx.req)
      if (!framing_header(f.name_string())) req.set(f.name_string(), f.value());
    for (const auto& [k, v] : p.headers) req.set(k, v);
    req.set(batch_hold_header, state->hold);
    req.body() = p.body;
    req.prepare_payload();
    router_.dispatch(std::move(req), ctx.remote,
                     [state, i](http::response_t r) { state->answered(i, std::move(r)); });
  }
}

} // namespace gc::sim

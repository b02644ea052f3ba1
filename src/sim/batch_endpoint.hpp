#pragma once
// POST /batch/gmail/v1 (and /batch): Google's batch endpoint (gmail-api.md §4). Inner requests
// inherit the outer headers (Authorization included, Content-* excluded) and run through the
// same router and Gmail pipeline, so faults, auth, quota and the in-flight cap apply per inner
// call; the inner calls of one batch hold their in-flight slots together until the batch ends
// (Gmail runs them in parallel). The reply is multipart/mixed with a server-chosen boundary.
#include "http/router.hpp"

#include <cstdint>
#include <mutex>
#include <random>

namespace gc::sim {

class quota_meter;
class fault_injector;
class token_store;

struct batch_options {
  std::size_t cap = 100;     // inner calls per batch; more -> 400 INVALID_ARGUMENT (Gmail: 100, 50 seen)
  bool shuffle = false;      // answer parts in a (seeded) random order
  uint64_t seed = 1;
};

class batch_endpoint {
public:
  // `r` is the router inner calls are dispatched through (the one this endpoint is installed on).
  batch_endpoint(const http::router& r, quota_meter& quota, fault_injector& faults,
                 const token_store& tokens, batch_options opts = {});

  void install(http::router& r);
  batch_options options() const;
  void set_options(const batch_options& o);
  json stats() const;   // {"batches","inner_calls","too_large","malformed"}

  void handle(const http::request_ctx& ctx, const http::reply_fn& reply);

private:
  const http::router& router_;
  quota_meter& quota_;
  fault_injector& faults_;
  const token_store& tokens_;

  mutable std::mutex mu_;
  batch_options opts_;
  std::mt19937_64 rng_;
  int64_t batches_ = 0, inner_ = 0, too_large_ = 0, malformed_ = 0, seq_ = 0;
};

} // namespace gc::sim

#pragma once
// Gmail v1 routes under /gmail/v1/users/{userId}/... (and the /upload/ variants for drafts and
// send). Every call, inner batch calls included, runs the same pipeline:
//   fault draw -> authorize (token, scope, userId) -> scripted catalog error (faults.hpp) ->
//   in-flight slot -> quota charge ->
//   workspace call -> Google-shaped reply (after the configured delay, on the sim timer).
#include "http/router.hpp"
#include "sim/endpoint_auth.hpp"
#include "sim/quota_costs.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace gc::sim {

class workspace;
class token_store;
class quota_meter;
class fault_injector;
class sim_timer;

// Set by the batch endpoint on inner requests: the in-flight hold those calls share.
inline constexpr const char* batch_hold_header = "X-Sim-Batch-Hold";

class gmail_endpoint {
public:
  gmail_endpoint(workspace& ws, const token_store& tokens, quota_meter& quota,
                 fault_injector& faults, sim_timer& timer);

  void install(http::router& r);
  json stats() const;   // {"calls":{"users.messages.get":n,…},"status":{"200":n,…}}

  using op_fn = std::function<gc::result<json>(const gmail_caller&, const http::request_ctx&)>;

private:
  struct route_spec {
    gmail_method method;
    scope_need need;
    op_fn op;
  };
  void add(http::router& r, http::bhttp::verb v, const std::string& path, route_spec spec);
  void run(const http::request_ctx& ctx, const http::reply_fn& reply, const route_spec& spec);
  void finish(http::response_t res, const http::reply_fn& reply, const std::string& mailbox,
              const std::string& hold, std::chrono::milliseconds delay);
  http::response_t to_response(const gc::result<json>& r, const http::request_ctx& ctx) const;

  // The route operations (endpoint_gmail_routes.cpp).
  void install_reads(http::router& r);
  void install_writes(http::router& r);

  workspace& ws_;
  const token_store& tokens_;
  quota_meter& quota_;
  fault_injector& faults_;
  sim_timer& timer_;

  mutable std::mutex mu_;
  std::map<std::string, int64_t> calls_;
  std::map<std::string, int64_t> statuses_;
};

// Maps a workspace error to Google's body: not_found -> 404 notFound, invalid_argument -> 400
// invalidArgument, failed_precondition -> 400 "Mail service not enabled", else 500.
http::response_t model_error(const gc::error& e);

} // namespace gc::sim

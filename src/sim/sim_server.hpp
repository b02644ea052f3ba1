#pragma once
// The whole simulated Google on one listener: token endpoint, Gmail v1, batch, quota, faults,
// sim-only /__sim/ routes, optional HTTPS with a generated test CA. Used by `gmail-capture sim`,
// the integration tests and the benchmarks.
#include "http/server.hpp"
#include "sim/batch_endpoint.hpp"
#include "sim/endpoint_gmail.hpp"
#include "sim/faults.hpp"
#include "sim/quota_meter.hpp"
#include "sim/sim_server_clock.hpp"
#include "sim/sim_server_timer.hpp"
#include "sim/tls_certs.hpp"
#include "sim/token_endpoint.hpp"
#include "sim/token_store.hpp"
#include "sim/workspace.hpp"

#include <memory>
#include <optional>
#include <random>
#include <string>

namespace gc::sim {

struct sim_options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string workspace = "demo";   // workspace_spec text, used unless mbox/eml is set
  std::string mbox_file;            // real mail into `import_mailbox`
  std::string eml_dir;
  std::string import_mailbox = "partner@fund.example";
  bool tls = false;
  std::string tls_dir;              // with tls: ca.pem is written here
  std::string sa_key_in;            // load this service-account key instead of generating one
  std::string sa_key_out;           // write the service-account JSON key here
  std::string truth_out;            // write the truth file here (at start and at stop)
  std::string crm_seed_out;         // write the CRM seed JSON here
  quota_options quota;
  fault_options faults;
  batch_options batch;
  double live_rate = 0;             // live-mail ticks per second (0 = off)
  std::chrono::seconds token_ttl{3599};
  uint64_t seed = 1;
  std::vector<std::string> dwd_scopes = default_dwd_scopes;
  oauth_client oauth;
  std::size_t workers = 4;
  std::size_t body_limit = 64 * 1024 * 1024;
  bool log_requests = false;
};

class sim_server {
public:
  // Builds the workspace (unless `ws` is given), keys and routes, and binds the listener.
  // Errors: "bad_config", "io", "tls", "bad_key", or the workspace's own.
  static gc::result<std::unique_ptr<sim_server>> create(boost::asio::io_context& ioc, sim_options opts,
                                                        std::unique_ptr<workspace> ws = nullptr);
  ~sim_server();
  sim_server(const sim_server&) = delete;
  sim_server& operator=(const sim_server&) = delete;

  void start();   // accept connections (the caller runs the io_context) and start live mail
  void stop();    // stop accepting, stop timers, write the truth file again if asked

  uint16_t port() const;
  std::size_t connections() const;  // open client connections
  std::string base_url() const;     // "http://127.0.0.1:PORT" or "https://…"
  std::string token_uri() const;    // base_url() + "/token"

  workspace& ws() { return *ws_; }
  sim_clock& clock() { return clock_; }
  token_store& tokens() { return tokens_; }
  quota_meter& quota() { return quota_; }
  fault_injector& faults() { return faults_; }
  token_endpoint& auth() { return token_ep_; }
  batch_endpoint& batch() { return batch_ep_; }
  const http::router& routes() const { return router_; }
  const service_account& account() const { return sa_; }
  const std::optional<tls_material>& tls() const { return tls_; }
  const sim_options& options() const { return opts_; }

  gc::status write_sa_key(const std::string& path) const;
  gc::status write_truth(const std::string& path) const;
  live_stats tick_live(int n);      // n live-mail steps, deterministic from the seed
  json stats() const;               // everything /__sim/stats shows

private:
  sim_server(boost::asio::io_context& ioc, sim_options opts, std::unique_ptr<workspace> ws,
             service_account sa);
  void install_sim_routes();        // endpoint_sim.cpp

  sim_options opts_;
  std::unique_ptr<workspace> ws_;
  service_account sa_;
  sim_clock clock_;
  token_store tokens_;
  quota_meter quota_;
  fault_injector faults_;
  sim_timer timer_;
  http::router router_;
  token_endpoint token_ep_;
  gmail_endpoint gmail_ep_;
  batch_endpoint batch_ep_;
  std::optional<tls_material> tls_;
  std::unique_ptr<http::server> server_;
  std::string scheme_ = "http";

  mutable std::mutex live_mu_;
  std::mt19937_64 live_rng_;
  live_stats live_total_;
  double live_acc_ = 0;
  bool stopped_ = false;
};

} // namespace gc::sim

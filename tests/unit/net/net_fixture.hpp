#pragma once
// Test peer for the outbound client: the project's own gc::http::server (plain or TLS) on
// 127.0.0.1, port 0, with routes that echo, count, block on a gate, send big bodies or drop the
// connection unanswered. Plus the test PKI (gc::sim::make_test_tls) shared by the TLS tests.
#include "http/server.hpp"
#include "net/http_client.hpp"
#include "sim/tls_certs.hpp"
#include "support/test_support.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gc::test {

// Polls `pred` until it holds or `limit` passes (a failsafe, not a timing assertion).
bool wait_until(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds(20));

// A CA + server certificate, generated once per process, with ca.pem written to a temp dir.
struct test_pki {
  gc::sim::tls_material material;
  std::string ca_file;
};
const test_pki& default_pki();          // localhost, 127.0.0.1, ::1
const test_pki& localhost_only_pki();   // DNS:localhost only (no IP SANs)

struct peer_options {
  gc::http::server_options server;
  const test_pki* tls = nullptr;        // null: plain HTTP
};

class peer {
public:
  explicit peer(peer_options o = {});
  ~peer();
  peer(const peer&) = delete;
  peer& operator=(const peer&) = delete;

  // "http://127.0.0.1:PORT" or "https://<host>:PORT".
  std::string base(const std::string& host = "127.0.0.1") const;
  gc::http::server& server() { return *srv_; }
  void release_gate();                  // lets every /gate handler reply (idempotent)

  std::atomic<int> count_calls{0};
  std::atomic<int> drop_calls{0};
  std::atomic<int> gate_entered{0};
  std::atomic<int> gate_active{0};
  std::atomic<int> gate_max_active{0};
  std::mutex order_mu;
  std::vector<int> order;               // ids seen by /order, in arrival order

private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{ioc_.get_executor()};
  gc::http::router routes_;
  std::unique_ptr<gc::http::server> srv_;
  std::thread io_;
  uint16_t port_ = 0;
  bool tls_ = false;
  std::promise<void> gate_;
  std::shared_future<void> gate_open_{gate_.get_future().share()};
  std::once_flag gate_once_;
};

// A GET/POST with a finite timeout, so that a broken client fails the test instead of hanging it.
gc::net::http_request make_req(std::string url, std::string method = "GET", std::string body = {},
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace gc::test

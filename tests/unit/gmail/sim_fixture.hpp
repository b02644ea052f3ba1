#pragma once
// The real simulator (src/sim) started in-process on 127.0.0.1 port 0, with its service-account
// key file (and, with TLS, its test CA) written to a temporary directory; and the real Gmail
// client with DWD from that key file.
#include "gmail/client.hpp"
#include "gmail/dwd_auth.hpp"
#include "sim/sim_server.hpp"
#include "support/test_support.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

namespace gc::test {

// A small deterministic workspace; `tls` serves HTTPS with a generated CA.
sim::sim_options small_sim(bool tls = false);

class sim_fixture {
public:
  explicit sim_fixture(sim::sim_options o = small_sim());
  ~sim_fixture();
  sim::sim_server& sim() { return *sim_; }
  std::string key_path() const { return dir_.file("sa.json"); }
  std::string ca_path() const { return dir_.file("tls/ca.pem"); }
  const temp_dir& dir() const { return dir_; }
  std::string mailbox(size_t i = 0) { return sim_->ws().mailboxes().at(i); }

private:
  temp_dir dir_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{ioc_.get_executor()};
  std::unique_ptr<sim::sim_server> sim_;
  std::thread io_;
};

// The real gmail::client with DWD from the sim's key file, trusting the sim's CA under TLS.
struct sim_client {
  net::http_client http;
  std::shared_ptr<gmail::dwd_auth> auth;
  std::unique_ptr<gmail::client> gm;
  explicit sim_client(sim_fixture& f, gmail::dwd_options d = {}, gmail::scope_set scopes = gmail::scopes::capture);
  gmail::outcome<gmail::profile> profile_of(const std::string& mailbox);
  gmail::outcome<json> get(const std::string& mailbox, core::gmail_method m, const std::string& target);
};

// The "Retry after" time of scripted errors: 2030-01-02T03:04:05.678Z.
inline const std::chrono::system_clock::time_point script_retry_at{std::chrono::milliseconds(1893553445678)};

// Queues a catalog error (sim/error_catalog.hpp) for the next `count` matching calls of `mailbox`.
void script_error(sim_fixture& f, const std::string& error, const std::string& mailbox, int count = 1,
                  const std::string& method = {}, sim::script_target target = sim::script_target::gmail);

} // namespace gc::test

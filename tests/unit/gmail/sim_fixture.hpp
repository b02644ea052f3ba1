#pragma once
// The real simulator (src/sim) started in-process on 127.0.0.1 port 0, with its service-account
// key file (and, with TLS, its test CA) written to a temporary directory.
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

} // namespace gc::test

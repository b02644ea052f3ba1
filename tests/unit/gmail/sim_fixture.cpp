#include "unit/gmail/sim_fixture.hpp"

#include <catch2/catch.hpp>

namespace gc::test {

sim::sim_options small_sim(bool tls) {
  sim::sim_options o;
  o.workspace = "mailboxes=2,messages=60,seed=7";
  o.tls = tls;
  o.workers = 4;
  return o;
}

sim_fixture::sim_fixture(sim::sim_options o) {
  o.sa_key_out = key_path();
  if (o.tls) o.tls_dir = dir_.file("tls");
  auto s = sim::sim_server::create(ioc_, std::move(o));
  if (!s) FAIL("simulator: " << s.error().code << ": " << s.error().message);
  sim_ = std::move(*s);
  sim_->start();
  io_ = std::thread{[this] { ioc_.run(); }};
}

sim_fixture::~sim_fixture() {
  if (sim_) sim_->stop();
  guard_.reset();
  ioc_.stop();
  if (io_.joinable()) io_.join();
  sim_.reset();
}

} // namespace gc::test

#include "unit/gmail/sim_fixture.hpp"

#include "unit/gmail/gmail_test_util.hpp"

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

namespace {
net::client_options http_options(sim_fixture& f) {
  net::client_options o;
  if (f.sim().tls()) {
    o.ca_file = f.ca_path();
    o.use_system_store = false;
  }
  return o;
}
} // namespace

sim_client::sim_client(sim_fixture& f, gmail::dwd_options d, gmail::scope_set scopes) : http{http_options(f)} {
  auto a = gmail::dwd_auth::from_file(http, f.key_path(), std::move(d));
  REQUIRE(a);
  auth = *a;
  gmail::client_options o;
  o.api_base = f.sim().base_url();
  o.scopes = std::move(scopes);
  gm = std::make_unique<gmail::client>(http, auth, o);
}

gmail::outcome<gmail::profile> sim_client::profile_of(const std::string& mailbox) {
  return await<gmail::outcome<gmail::profile>>([&](auto cb) { gm->get_profile(mailbox, cb); });
}

gmail::outcome<json> sim_client::get(const std::string& mailbox, core::gmail_method m, const std::string& target) {
  return await<gmail::outcome<json>>([&](auto cb) { gm->get_json(mailbox, m, target, cb); });
}

void script_error(sim_fixture& f, const std::string& error, const std::string& mailbox, int count,
                  const std::string& method, sim::script_target target) {
  sim::scripted_error s;
  s.error = error;
  s.mailbox = mailbox;
  s.count = count;
  s.method = method;
  s.target = target;
  s.retry_at = script_retry_at;
  f.sim().faults().script(std::move(s));
}

} // namespace gc::test

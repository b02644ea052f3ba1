#include "unit/gmail/gmail_test_util.hpp"

namespace gc::test {

namespace net = boost::asio;

fake_google::fake_google() = default;

fake_google::~fake_google() {
  if (srv_) srv_->stop();
  guard_.reset();
  ioc_.stop();
  if (io_.joinable()) io_.join();
  srv_.reset();
}

void fake_google::start() {
  http::server_options opts;
  opts.log_requests = false;
  opts.name = "fake-google";
  opts.body_limit = 16 * 1024 * 1024;
  srv_ = std::make_unique<http::server>(ioc_, net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), 0}, routes_,
                                        opts);
  port_ = srv_->local_endpoint().port();
  srv_->start();
  io_ = std::thread{[this] { ioc_.run(); }};
}

std::string fake_google::base() const { return "http://127.0.0.1:" + std::to_string(port_); }

void fake_google::record(const http::request_ctx& ctx) {
  std::lock_guard lock{mu_};
  seen_.push_back(seen{std::string{ctx.req.method_string()} + " " + ctx.path, ctx.req.body(),
                       std::string{ctx.req[http::bhttp::field::authorization]},
                       std::string{ctx.req[http::bhttp::field::content_type]}});
}

std::vector<fake_google::seen> fake_google::requests() const {
  std::lock_guard lock{mu_};
  return seen_;
}

int fake_google::count(const std::string& line_prefix) const {
  std::lock_guard lock{mu_};
  int n = 0;
  for (const auto& s : seen_)
    if (s.line.rfind(line_prefix, 0) == 0) ++n;
  return n;
}

void counting_auth::token(const std::string&, const gmail::scope_set&, token_callback done) {
  ++asked;
  done(gmail::access_token{"tok-" + std::to_string(generation.load()),
                           std::chrono::system_clock::now() + std::chrono::hours(1)});
}

void counting_auth::invalidate(const std::string&, const gmail::scope_set&, const std::string& rejected) {
  ++invalidations;
  if (rejected.empty() || rejected == "tok-" + std::to_string(generation.load())) ++generation;
}

} // namespace gc::test

#include "net_fixture.hpp"

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace gc::test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

namespace {

test_pki make_pki(const gc::sim::tls_names& names, const char* subdir) {
  static gc::test::temp_dir dir;  // lives until the process exits
  auto m = gc::sim::make_test_tls(names);
  if (!m) throw std::runtime_error("make_test_tls: " + m.error().message);
  auto path = dir.file(subdir);
  auto st = gc::sim::write_ca_pem(*m, path);
  if (!st) throw std::runtime_error("write_ca_pem: " + st.error().message);
  return test_pki{*m, path + "/ca.pem"};
}

} // namespace

const test_pki& default_pki() {
  static const test_pki pki = make_pki({}, "default");
  return pki;
}

const test_pki& localhost_only_pki() {
  static const test_pki pki = make_pki({.dns = {"localhost"}, .ips = {}}, "localhost-only");
  return pki;
}

peer::peer(peer_options o) : tls_(o.tls != nullptr) {
  using gc::http::access;
  using gc::http::json_response;
  using gc::http::reply_fn;
  using gc::http::request_ctx;
  auto echo = [](request_ctx ctx, reply_fn reply) {
    reply(json_response(200, {{"method", std::string{ctx.req.method_string()}},
                              {"x", ctx.q("x").value_or("")},
                              {"body", ctx.req.body()},
                              {"host", std::string{ctx.req[bhttp::field::host]}},
                              {"agent", std::string{ctx.req[bhttp::field::user_agent]}},
                              {"x_test", std::string{ctx.req["X-Test"]}}}));
  };
  routes_.get("/echo", access::open, echo);
  routes_.post("/echo", access::open, echo);
  routes_.get("/count", access::open, [this](request_ctx, reply_fn reply) {
    reply(json_response(200, {{"n", ++count_calls}}));
  });
  routes_.get("/order", access::open, [this](request_ctx ctx, reply_fn reply) {
    {
      std::lock_guard lock{order_mu};
      order.push_back(std::stoi(ctx.q("id").value_or("-1")));
    }
    reply(json_response(200, {{"id", ctx.q("id").value_or("")}}));
  });
  routes_.get("/gate", access::open, [this](request_ctx, reply_fn reply) {
    ++gate_entered;
    int now = ++gate_active;
    int seen = gate_max_active.load();
    while (now > seen && !gate_max_active.compare_exchange_weak(seen, now)) {
    }
    gate_open_.wait();
    --gate_active;
    reply(json_response(200, {{"gate", "open"}}));
  });
  routes_.get("/big", access::open, [](request_ctx ctx, reply_fn reply) {
    auto n = std::stoul(ctx.q("n").value_or("0"));
    gc::http::response_t res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = std::string(n, 'x');
    reply(std::move(res));
  });
  routes_.get("/drop", access::open, [this](request_ctx, reply_fn reply) {
    ++drop_calls;
    auto res = json_response(500, {{"dropped", true}});
    res.set("X-Sim-Drop", "1");  // the server closes the connection without answering
    reply(std::move(res));
  });

  std::shared_ptr<net::ssl::context> ctx;
  if (o.tls) {
    auto made = gc::sim::make_server_context(o.tls->material);
    if (!made) throw std::runtime_error("make_server_context: " + made.error().message);
    ctx = *made;
  }
  o.server.log_requests = false;
  srv_ = std::make_unique<gc::http::server>(
      ioc_, net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), 0}, routes_, o.server, ctx);
  port_ = srv_->local_endpoint().port();
  srv_->start();
  io_ = std::thread([this] { ioc_.run(); });
}

peer::~peer() {
  release_gate();
  srv_->stop();
  guard_.reset();
  ioc_.stop();
  io_.join();
  srv_.reset();
}

std::string peer::base(const std::string& host) const {
  return std::string{tls_ ? "https://" : "http://"} + host + ":" + std::to_string(port_);
}

void peer::release_gate() {
  std::call_once(gate_once_, [this] { gate_.set_value(); });
}

gc::net::http_request make_req(std::string url, std::string method, std::string body,
                               std::chrono::milliseconds timeout) {
  gc::net::http_request r;
  r.url = std::move(url);
  r.method = std::move(method);
  r.body = std::move(body);
  r.timeout = timeout;
  return r;
}

} // namespace gc::test

// The HTTP server and router against real sockets on 127.0.0.1 (port 0).
#include "http/server.hpp"
#include "support/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

using namespace gc;
using gc::test::http_call;
using gc::test::http_connection;
namespace net = boost::asio;

namespace {

struct fixture {
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
  http::router routes{[](const std::string& tok) -> std::optional<http::principal> {
    if (tok == "member-token") return http::principal{1, "m@fund.example", http::role::member, 1};
    if (tok == "admin-token") return http::principal{2, "a@fund.example", http::role::admin, 2};
    return std::nullopt;
  }};
  std::unique_ptr<http::server> srv;
  std::thread io;
  uint16_t port = 0;
  std::promise<void> release_slow;
  std::shared_future<void> slow_gate{release_slow.get_future().share()};
  std::promise<void> slow_started;

  explicit fixture(http::server_options opts = {}) {
    routes.get("/open", http::access::open, [](http::request_ctx ctx, http::reply_fn reply) {
      reply(http::json_response(200, {{"path", ctx.path}, {"x", ctx.q("x").value_or("")}}));
    });
    routes.post("/open", http::access::open, [](http::request_ctx ctx, http::reply_fn reply) {
      reply(http::json_response(200, {{"len", ctx.req.body().size()}}));
    });
    routes.get("/items/{id}/name", http::access::user, [](http::request_ctx ctx, http::reply_fn reply) {
      reply(http::json_response(200, {{"id", ctx.params.at("id")}, {"user", ctx.user->username}}));
    });
    routes.get("/admin", http::access::admin, [](http::request_ctx, http::reply_fn reply) {
      reply(http::json_response(200, {{"ok", true}}));
    });
    routes.get("/throws", http::access::open, [](http::request_ctx, http::reply_fn) {
      throw std::runtime_error("boom with Bearer abc.def");
    });
    routes.get("/async", http::access::open, [](http::request_ctx, http::reply_fn reply) {
      std::thread([reply] { reply(http::json_response(202, {{"from", "other thread"}})); }).detach();
    });
    routes.get("/slow", http::access::open, [this](http::request_ctx, http::reply_fn reply) {
      slow_started.set_value();
      slow_gate.wait();
      reply(http::json_response(200, {{"slow", true}}));
    });
    srv = std::make_unique<http::server>(ioc, net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), 0},
                                         routes, opts);
    port = srv->local_endpoint().port();
    srv->start();
    io = std::thread([this] { ioc.run(); });
  }
  ~fixture() {
    srv->stop();
    guard.reset();
    ioc.stop();
    io.join();
  }
};

} // namespace

TEST_CASE("routes, captures and query parameters", "[http]") {
  fixture f;
  auto r = http_call("127.0.0.1", f.port, "GET", "/open?x=a%20b");
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["x"] == "a b");
  CHECK(r.header("content-type") == "application/json");
  auto c = http_call("127.0.0.1", f.port, "GET", "/items/42/name",
                     {.headers = {{"Authorization", "Bearer member-token"}}});
  CHECK(c.status == 200);
  CHECK(json::parse(c.body)["id"] == "42");
  CHECK(json::parse(c.body)["user"] == "m@fund.example");
}

TEST_CASE("every error status comes from a real request with a JSON error body", "[http]") {
  fixture f;
  auto check_error = [](const gc::test::http_reply& r, unsigned status, const char* code) {
    CHECK(r.status == status);
    auto body = json::parse(r.body);
    CHECK(body["error"]["code"] == code);
    CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
  };
  check_error(http_call("127.0.0.1", f.port, "GET", "/nope"), 404, "not_found");
  auto m = http_call("127.0.0.1", f.port, "DELETE", "/open");
  check_error(m, 405, "method_not_allowed");
  CHECK(m.header("allow") == "GET, POST");
  check_error(http_call("127.0.0.1", f.port, "GET", "/items/1/name"), 401, "unauthorized");
  check_error(http_call("127.0.0.1", f.port, "GET", "/items/1/name",
                        {.headers = {{"Authorization", "Bearer wrong"}}}),
              401, "unauthorized");
  check_error(http_call("127.0.0.1", f.port, "GET", "/admin",
                        {.headers = {{"Authorization", "Bearer member-token"}}}),
              403, "forbidden");
  CHECK(http_call("127.0.0.1", f.port, "GET", "/admin", {.headers = {{"Authorization", "Bearer admin-token"}}})
            .status == 200);
  check_error(http_call("127.0.0.1", f.port, "GET", "/open?x=%zz"), 400, "bad_request");
  check_error(http_call("127.0.0.1", f.port, "POST", "/open", {.body = std::string(1024 * 1024 + 1, 'x')}), 413,
              "payload_too_large");
  CHECK(http_call("127.0.0.1", f.port, "POST", "/open", {.body = std::string(1024 * 1024, 'x')}).status == 200);
  auto t = http_call("127.0.0.1", f.port, "GET", "/throws");
  check_error(t, 500, "internal");
  CHECK(t.body.find("boom") == std::string::npos);  // no internals in the body
}

TEST_CASE("keep-alive serves several requests on one connection, replies from any thread", "[http]") {
  fixture f;
  http_connection c{"127.0.0.1", f.port};
  for (int i = 0; i < 5; ++i) CHECK(c.call("GET", "/open?x=" + std::to_string(i)).status == 200);
  auto r = c.call("GET", "/async");
  CHECK(r.status == 202);
  CHECK(json::parse(r.body)["from"] == "other thread");
  CHECK(f.srv->connections() == 1);
}

TEST_CASE("stop finishes in-flight requests, closes idle connections, refuses new ones", "[http]") {
  fixture f;
  http_connection idle{"127.0.0.1", f.port};
  REQUIRE(idle.call("GET", "/open").status == 200);
  auto slow = std::async(std::launch::async, [&] { return http_call("127.0.0.1", f.port, "GET", "/slow"); });
  f.slow_started.get_future().wait();
  REQUIRE(f.srv->in_flight() == 1);
  f.srv->stop();
  f.release_slow.set_value();
  auto r = slow.get();
  CHECK(r.status == 200);
  CHECK(r.header("connection") == "close");
  CHECK_THROWS(idle.call("GET", "/open"));  // closed by the server
  CHECK_THROWS(http_call("127.0.0.1", f.port, "GET", "/open"));
}

TEST_CASE("a silent connection is closed after the read timeout", "[http]") {
  http::server_options o;
  o.read_timeout = std::chrono::seconds(1);
  fixture f{o};
  http_connection c{"127.0.0.1", f.port};
  REQUIRE(c.call("GET", "/open").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  CHECK_THROWS(c.call("GET", "/open"));
}

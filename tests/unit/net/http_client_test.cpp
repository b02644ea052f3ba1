// The outbound client against the project's own server on 127.0.0.1 (plain HTTP): round
// trips, connection reuse, the per-host cap, FIFO queueing and stale keep-alive connections.
#include "core/json.hpp"
#include "net/http_client.hpp"
#include "net_fixture.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::net::client_options;
using gc::net::http_client;
using gc::net::http_response;
using gc::test::make_req;
using gc::test::peer;
using gc::test::wait_until;

TEST_CASE("http_client: GET and POST round trips", "[net][client]") {
  peer p;
  http_client c;
  auto req = make_req(p.base() + "/echo?x=a%20b");
  req.headers["X-Test"] = "hello";
  auto r = c.request_sync(req);
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->header("content-type") == "application/json");  // names are lower-cased
  auto j = json::parse(r->body);
  CHECK(j["method"] == "GET");
  CHECK(j["x"] == "a b");
  CHECK(j["x_test"] == "hello");
  CHECK(j["host"] == p.base().substr(7));                  // "127.0.0.1:PORT"
  CHECK(j["agent"] == "gmail-capture");

  auto post = make_req(p.base() + "/echo", "POST", R"({"k":"v"})");
  post.headers["Content-Type"] = "application/json";
  auto q = c.request_sync(post);
  REQUIRE(q.ok());
  CHECK(q->status == 200);
  CHECK(json::parse(q->body)["body"] == R"({"k":"v"})");
  CHECK(json::parse(q->body)["method"] == "POST");

  auto missing = c.request_sync(make_req(p.base() + "/nope"));
  REQUIRE(missing.ok());  // an HTTP error status is a response, not an error
  CHECK(missing->status == 404);
}

TEST_CASE("http_client: sequential requests reuse one kept-alive connection", "[net][client]") {
  peer p;
  http_client c;
  for (int i = 0; i < 10; ++i) {
    auto r = c.request_sync(make_req(p.base() + "/count"));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["n"] == i + 1);
    CHECK(p.server().connections() == 1);
  }
}

TEST_CASE("http_client: parallel requests up to the per-host cap, the rest queue", "[net][client]") {
  peer p;
  client_options o;
  o.max_connections_per_host = 3;
  http_client c{o};
  constexpr int n = 7;
  std::atomic<int> done{0}, ok{0};
  for (int i = 0; i < n; ++i) {
    c.request(make_req(p.base() + "/gate"), [&](gc::result<http_response> r) {
      if (r.ok() && r->status == 200) ++ok;
      ++done;
    });
  }
  REQUIRE(wait_until([&] { return p.gate_entered == 3; }));
  CHECK(p.server().connections() == 3);
  CHECK(p.server().in_flight() == 3);
  p.release_gate();
  REQUIRE(wait_until([&] { return done == n; }));
  CHECK(ok == n);
  CHECK(p.gate_entered == n);
  CHECK(p.gate_max_active == 3);  // never more than the cap at once
  CHECK(p.server().connections() <= 3);
}

TEST_CASE("http_client: queued requests are served in FIFO order", "[net][client]") {
  peer p;
  client_options o;
  o.max_connections_per_host = 1;
  http_client c{o};
  std::atomic<int> done{0};
  for (int i = 0; i < 6; ++i)
    c.request(make_req(p.base() + "/order?id=" + std::to_string(i)), [&](gc::result<http_response> r) {
      CHECK(r.ok());
      ++done;
    });
  REQUIRE(wait_until([&] { return done == 6; }));
  std::lock_guard lock{p.order_mu};
  CHECK(p.order == std::vector<int>{0, 1, 2, 3, 4, 5});
  CHECK(p.server().connections() == 1);
}

TEST_CASE("http_client: a keep-alive connection closed by the server is replaced", "[net][client]") {
  gc::test::peer_options po;
  po.server.read_timeout = std::chrono::seconds(1);  // the server drops idle connections after 1 s
  peer p{po};
  http_client c;
  auto first = c.request_sync(make_req(p.base() + "/count"));
  REQUIRE(first.ok());
  REQUIRE(wait_until([&] { return p.server().connections() == 0; }));  // closed while idle
  auto second = c.request_sync(make_req(p.base() + "/count"));
  REQUIRE(second.ok());
  CHECK(second->status == 200);
  CHECK(p.count_calls == 2);  // each request reached the handler exactly once
}

TEST_CASE("http_client: eof before any response byte on a reused connection retries once", "[net][client]") {
  peer p;
  http_client c;
  REQUIRE(c.request_sync(make_req(p.base() + "/count")).ok());  // now one idle kept-alive connection
  auto r = c.request_sync(make_req(p.base() + "/drop"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "network");
  CHECK(p.drop_calls == 2);  // the first try on the reused connection, one retry on a fresh one

  auto again = c.request_sync(make_req(p.base() + "/count"));
  REQUIRE(again.ok());  // a broken connection is never handed out again
  CHECK(again->status == 200);
}

TEST_CASE("http_client: a failure on a fresh connection is not retried", "[net][client]") {
  peer p;
  http_client c;
  auto r = c.request_sync(make_req(p.base() + "/drop"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "network");
  CHECK(r.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(p.drop_calls == 1);
}

TEST_CASE("http_client: separate origins get separate pools", "[net][client]") {
  peer a, b;
  client_options o;
  o.max_connections_per_host = 1;
  http_client c{o};
  for (int i = 0; i < 3; ++i) {
    REQUIRE(c.request_sync(make_req(a.base() + "/count")).ok());
    REQUIRE(c.request_sync(make_req(b.base() + "/count")).ok());
    REQUIRE(c.request_sync(make_req(b.base("localhost") + "/count")).ok());  // another host name
  }
  CHECK(a.count_calls == 3);
  CHECK(b.count_calls == 6);
  CHECK(a.server().connections() == 1);
  CHECK(b.server().connections() == 2);  // 127.0.0.1 and localhost are different pool keys
}

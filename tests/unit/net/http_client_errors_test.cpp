// The outbound client's failure modes and threading: timeouts, size limits, refused
// connections, bad URLs, misuse of request_sync, cancellation on destruction, many callers.
#include "core/json.hpp"
#include "net/http_client.hpp"
#include "net_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <map>

using gc::json;
using gc::net::client_options;
using gc::net::http_client;
using gc::net::http_response;
using gc::test::make_req;
using gc::test::peer;
using gc::test::wait_until;
using namespace std::chrono_literals;

TEST_CASE("http_client: no reply within the request timeout is \"timeout\"", "[net][client]") {
  peer p;
  http_client c;
  auto r = c.request_sync(make_req(p.base() + "/gate", "GET", {}, 200ms));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "timeout");
  CHECK(r.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(r.error().message.find("read") != std::string::npos);
  // The timed-out connection was discarded; the next request gets a fresh one.
  auto next = c.request_sync(make_req(p.base() + "/count"));
  REQUIRE(next.ok());
  CHECK(next->status == 200);
}

TEST_CASE("http_client: a body over max_response_bytes is \"too_large\"", "[net][client]") {
  peer p;
  client_options o;
  o.max_response_bytes = 1000;
  http_client c{o};
  auto big = c.request_sync(make_req(p.base() + "/big?n=5000"));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == "too_large");
  auto small = c.request_sync(make_req(p.base() + "/big?n=900"));
  REQUIRE(small.ok());
  CHECK(small->body == std::string(900, 'x'));
}

TEST_CASE("http_client: connection refused is \"connect\"", "[net][client]") {
  uint16_t port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    port = a.local_endpoint().port();
  }  // closed again: nothing listens there now
  http_client c;
  auto r = c.request_sync(make_req("http://127.0.0.1:" + std::to_string(port) + "/x"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "connect");
  CHECK(r.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("http_client: a peer that accepts but never answers times out", "[net][client]") {
  // The kernel completes TCP handshakes for a listening socket even if nobody accepts.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor silent{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  auto port = std::to_string(silent.local_endpoint().port());
  client_options o;
  o.connect_timeout = 300ms;
  http_client c{o};
  auto plain = c.request_sync(make_req("http://127.0.0.1:" + port + "/x", "GET", {}, 300ms));
  REQUIRE_FALSE(plain.ok());
  INFO(plain.error().message);
  CHECK(plain.error().code == "timeout");
  auto tls = c.request_sync(make_req("https://127.0.0.1:" + port + "/x", "GET", {}, 10s));
  REQUIRE_FALSE(tls.ok());  // the TLS handshake counts against connect_timeout
  INFO(tls.error().message);
  CHECK(tls.error().code == "timeout");
  CHECK(tls.error().message.find("handshake") != std::string::npos);
}

TEST_CASE("http_client: a bad URL is \"bad_url\", through both entry points", "[net][client]") {
  http_client c;
  auto r = c.request_sync(make_req("ftp://example.com/"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "bad_url");
  std::promise<gc::error> got;
  c.request(make_req("http://:80/"), [&](gc::result<http_response> x) { got.set_value(x.error()); });
  CHECK(got.get_future().get().code == "bad_url");
}

TEST_CASE("http_client: an unknown host is \"resolve\"", "[net][client]") {
  http_client c;
  auto r = c.request_sync(make_req("http://no-such-host.invalid/"));  // RFC 6761: never resolves
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "resolve");
  CHECK(r.error().message.find("no-such-host.invalid") != std::string::npos);
}

TEST_CASE("http_client: request_sync on the client's own thread is refused", "[net][client]") {
  peer p;
  http_client c;
  std::promise<gc::result<http_response>> inner;
  c.request(make_req(p.base() + "/count"), [&](gc::result<http_response>) {
    inner.set_value(c.request_sync(make_req(p.base() + "/count")));  // would deadlock
  });
  auto r = inner.get_future().get();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "misuse");
}

TEST_CASE("http_client: destruction fails running and queued requests exactly once", "[net][client]") {
  peer p;
  std::mutex mu;
  std::map<int, std::vector<std::string>> outcomes;
  {
    client_options o;
    o.max_connections_per_host = 1;
    http_client c{o};
    for (int i = 0; i < 3; ++i)
      c.request(make_req(p.base() + "/gate"), [&, i](gc::result<http_response> r) {
        std::lock_guard lock{mu};
        outcomes[i].push_back(r.ok() ? "ok" : r.error().code);
      });
    REQUIRE(wait_until([&] { return p.gate_entered == 1; }));
  }  // the destructor cancels and joins
  std::lock_guard lock{mu};
  REQUIRE(outcomes.size() == 3);
  for (auto& [i, codes] : outcomes) CHECK(codes == std::vector<std::string>{"network"});
  CHECK(p.gate_entered == 1);  // the queued ones never went out
}

TEST_CASE("http_client: many concurrent requests from several threads complete exactly once",
          "[net][client]") {
  peer p;
  client_options o;
  o.max_connections_per_host = 4;
  http_client c{o};
  constexpr int threads = 4, per_thread = 40;
  std::mutex mu;
  std::map<std::string, int> seen;  // x echoed by the server -> completions
  std::atomic<int> failures{0}, done{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto id = std::to_string(t) + "-" + std::to_string(i);
        auto req = make_req(p.base() + "/echo?x=" + id);
        auto record = [&](const gc::result<http_response>& r) {
          if (!r.ok() || r->status != 200) ++failures;
          else {
            std::lock_guard lock{mu};
            ++seen[json::parse(r->body)["x"].get<std::string>()];
          }
          ++done;
        };
        if (i % 4 == 0) record(c.request_sync(req));
        else c.request(req, record);
      }
    });
  }
  for (auto& th : callers) th.join();
  REQUIRE(wait_until([&] { return done == threads * per_thread; }));
  CHECK(failures == 0);
  std::lock_guard lock{mu};
  CHECK(seen.size() == static_cast<std::size_t>(threads * per_thread));
  for (auto& [id, n] : seen) CHECK(n == 1);
  CHECK(p.server().connections() <= 4);
}

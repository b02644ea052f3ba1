// The outbound client over TLS against the project's server with the simulator's test PKI:
// verification against a CA file, host-name checks, reuse and failure modes.
#include "core/json.hpp"
#include "net/http_client.hpp"
#include "net_fixture.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::net::client_options;
using gc::net::http_client;
using gc::test::make_req;
using gc::test::peer;
using gc::test::peer_options;
using gc::test::wait_until;
using namespace std::chrono_literals;

namespace {

peer_options tls_peer(const gc::test::test_pki& pki) {
  peer_options o;
  o.tls = &pki;
  return o;
}

client_options trusting(const gc::test::test_pki& pki) {
  client_options o;
  o.ca_file = pki.ca_file;
  o.use_system_store = false;
  return o;
}

} // namespace

TEST_CASE("https: the test CA is trusted, requests round-trip and reuse one connection", "[net][tls]") {
  peer p{tls_peer(gc::test::default_pki())};
  http_client c{trusting(gc::test::default_pki())};
  for (int i = 0; i < 5; ++i) {
    auto r = c.request_sync(make_req(p.base("localhost") + "/count"));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["n"] == i + 1);
    CHECK(p.server().connections() == 1);
  }
  auto post = c.request_sync(make_req(p.base("localhost") + "/echo", "POST", "payload"));
  REQUIRE(post.ok());
  CHECK(json::parse(post->body)["body"] == "payload");
  CHECK(p.server().connections() == 1);
}

TEST_CASE("https: system store plus CA file, and an IP address in the SANs", "[net][tls]") {
  peer p{tls_peer(gc::test::default_pki())};
  client_options o = trusting(gc::test::default_pki());
  o.use_system_store = true;
  http_client c{o};
  auto r = c.request_sync(make_req(p.base("127.0.0.1") + "/count"));  // cert has IP:127.0.0.1
  REQUIRE(r.ok());
  CHECK(r->status == 200);
}

TEST_CASE("https: a certificate without the requested name fails with \"tls\"", "[net][tls]") {
  const auto& pki = gc::test::localhost_only_pki();  // DNS:localhost only
  peer p{tls_peer(pki)};
  http_client c{trusting(pki)};
  auto ok = c.request_sync(make_req(p.base("localhost") + "/count"));
  REQUIRE(ok.ok());  // the same CA and cert verify under the right name
  auto r = c.request_sync(make_req(p.base("127.0.0.1") + "/count"));
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == "tls");
  CHECK(r.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(p.count_calls == 1);  // nothing was sent over the unverified connection
}

TEST_CASE("https: without the test CA verification fails with \"tls\"", "[net][tls]") {
  peer p{tls_peer(gc::test::default_pki())};
  http_client c;  // system store only
  auto r = c.request_sync(make_req(p.base("localhost") + "/count"));
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == "tls");
  CHECK(r.error().message.find("localhost") != std::string::npos);
  CHECK(p.count_calls == 0);
}

TEST_CASE("https: an unreadable CA file makes https requests fail with \"tls\"", "[net][tls]") {
  gc::test::temp_dir dir;
  client_options o;
  o.ca_file = dir.file("missing.pem");
  http_client c{o};
  auto r = c.request_sync(make_req("https://localhost:1/x"));
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == "tls");
  CHECK(r.error().message.find("missing.pem") != std::string::npos);
}

TEST_CASE("https: no reply within the request timeout is \"timeout\"", "[net][tls]") {
  peer p{tls_peer(gc::test::default_pki())};
  http_client c{trusting(gc::test::default_pki())};
  auto r = c.request_sync(make_req(p.base("localhost") + "/gate", "GET", {}, 200ms));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "timeout");
}

TEST_CASE("https: a kept-alive TLS connection closed by the server is replaced", "[net][tls]") {
  peer_options po = tls_peer(gc::test::default_pki());
  po.server.read_timeout = 1s;
  peer p{po};
  http_client c{trusting(gc::test::default_pki())};
  REQUIRE(c.request_sync(make_req(p.base("localhost") + "/count")).ok());
  REQUIRE(wait_until([&] { return p.server().connections() == 0; }));
  auto r = c.request_sync(make_req(p.base("localhost") + "/count"));
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(p.count_calls == 2);
}

TEST_CASE("https: stale retry and too_large over TLS", "[net][tls]") {
  peer p{tls_peer(gc::test::default_pki())};
  client_options o = trusting(gc::test::default_pki());
  o.max_response_bytes = 1000;
  http_client c{o};
  REQUIRE(c.request_sync(make_req(p.base("localhost") + "/count")).ok());
  auto dropped = c.request_sync(make_req(p.base("localhost") + "/drop"));
  REQUIRE_FALSE(dropped.ok());
  CHECK(dropped.error().code == "network");
  CHECK(p.drop_calls == 2);
  auto big = c.request_sync(make_req(p.base("localhost") + "/big?n=5000"));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == "too_large");
}

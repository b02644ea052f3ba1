// URL parsing for the outbound client.
#include "net/url.hpp"

#include <catch2/catch.hpp>

using gc::net::parse_url;

TEST_CASE("url: scheme defaults, ports and targets", "[net][url]") {
  auto a = parse_url("http://example.com");
  REQUIRE(a.ok());
  CHECK(a->scheme == "http");
  CHECK(a->host == "example.com");
  CHECK(a->port == 80);
  CHECK(a->target == "/");
  CHECK_FALSE(a->tls());
  CHECK(a->authority() == "example.com");
  CHECK(a->origin() == "http://example.com:80");

  auto b = parse_url("HTTPS://GMail.GoogleAPIs.com/gmail/v1/users/me/messages?q=a%20b&pageToken=x#frag");
  REQUIRE(b.ok());
  CHECK(b->scheme == "https");
  CHECK(b->host == "gmail.googleapis.com");
  CHECK(b->port == 443);
  CHECK(b->tls());
  CHECK(b->target == "/gmail/v1/users/me/messages?q=a%20b&pageToken=x");
  CHECK(b->authority() == "gmail.googleapis.com");

  auto c = parse_url("http://127.0.0.1:8080?x=1");
  REQUIRE(c.ok());
  CHECK(c->host == "127.0.0.1");
  CHECK(c->port == 8080);
  CHECK(c->target == "/?x=1");
  CHECK(c->authority() == "127.0.0.1:8080");
  CHECK(c->origin() == "http://127.0.0.1:8080");

  auto d = parse_url("https://localhost:443/token");
  REQUIRE(d.ok());
  CHECK(d->authority() == "localhost");  // default port is not repeated in Host
  CHECK(d->origin() == "https://localhost:443");
}

TEST_CASE("url: IPv6 literals", "[net][url]") {
  auto a = parse_url("http://[::1]:9000/x");
  REQUIRE(a.ok());
  CHECK(a->host == "::1");
  CHECK(a->port == 9000);
  CHECK(a->target == "/x");
  CHECK(a->authority() == "[::1]:9000");
  CHECK(a->origin() == "http://[::1]:9000");
  auto b = parse_url("https://[0:0:0:0:0:0:0:1]");
  REQUIRE(b.ok());
  CHECK(b->host == "::1");
  CHECK(b->port == 443);
  CHECK(b->authority() == "[::1]");
}

TEST_CASE("url: malformed URLs are bad_url", "[net][url]") {
  for (const char* s : {"", "example.com/x", "//example.com/", "ftp://example.com/", "http://",
                        "http:///path", "http://:80/", "http://h:0/", "http://h:65536/", "http://h:123456/",
                        "http://h:abc/", "http://h:/", "http://user:pw@h/", "http://h x/", "http://h/a b",
                        "http://[::1/", "http://[::1]x/", "http://[zz::1]/", "http://a:b:c/", "http://h\n/",
                        "http://h%41/"}) {
    INFO(s);
    auto r = parse_url(s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_url");
  }
}

TEST_CASE("url: errors do not repeat the path or query", "[net][url]") {
  auto r = parse_url("http://h:bad/path?access_token=SECRET123");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("SECRET123") == std::string::npos);
  auto s = parse_url("http://user:SECRET123@h/");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("SECRET123") == std::string::npos);
}

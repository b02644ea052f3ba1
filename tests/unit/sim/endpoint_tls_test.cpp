// HTTPS: the generated test CA verifies the simulator's certificate for 127.0.0.1/localhost,
// and an untrusting client is refused.
#include "endpoint_fixture.hpp"

#include "support/test_support.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// GET over TLS with verification against `ca_pem` for `host`; the status, or -1 on a TLS error.
int https_get(uint16_t port, const std::string& host, const std::string& ca_pem, const std::string& target) {
  boost::asio::io_context io;
  ssl::context ctx{ssl::context::tls_client};
  if (!ca_pem.empty()) ctx.add_certificate_authority(boost::asio::buffer(ca_pem));
  beast::ssl_stream<beast::tcp_stream> stream{io, ctx};
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(host));
  SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(stream).connect(tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return -1;
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, host);
  bhttp::write(stream, req);
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buf, res);
  stream.shutdown(ec);
  return static_cast<int>(res.result_int());
}

} // namespace

TEST_CASE("the simulator serves HTTPS with a certificate from its test CA", "[sim][endpoint][tls]") {
  gc::test::temp_dir dir;
  boost::asio::io_context ioc;
  gc::sim::sim_options o;
  o.tls = true;
  o.tls_dir = dir.file("tls");
  auto spec = gc::sim::workspace_spec::parse("mailboxes=2,messages=10,seed=3");
  REQUIRE(spec.ok());
  auto sim = gc::sim::sim_server::create(ioc, o, gc::sim::workspace::generate(*spec));
  REQUIRE(sim.ok());
  auto& s = **sim;
  CHECK(s.base_url().rfind("https://127.0.0.1:", 0) == 0);
  CHECK(s.token_uri() == s.base_url() + "/token");
  s.start();
  std::thread runner([&] { ioc.run(); });

  std::ifstream f(dir.file("tls") + "/ca.pem");
  std::stringstream ca;
  ca << f.rdbuf();
  REQUIRE(ca.str().find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK(ca.str() == s.tls()->ca_cert_pem);

  CHECK(https_get(s.port(), "127.0.0.1", ca.str(), "/__sim/stats") == 200);
  CHECK(https_get(s.port(), "localhost", ca.str(), "/__sim/stats") == 200);
  CHECK(https_get(s.port(), "127.0.0.1", "", "/__sim/stats") == -1);            // CA not trusted
  CHECK(https_get(s.port(), "other.example", ca.str(), "/__sim/stats") == -1);  // wrong name

  for (int i = 0; i < 5000 && s.connections() > 0; ++i)   // see endpoint_fixture.cpp
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.stop();
  ioc.stop();
  runner.join();
}

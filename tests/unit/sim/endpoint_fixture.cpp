#include "endpoint_fixture.hpp"

#include "core/encoding.hpp"
#include "core/jwt.hpp"
#include "support/test_support.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>

namespace gc::test {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// RSA key generation dominates start-up, so every fixture in the process shares one key file.
std::string shared_key_file() {
  static temp_dir dir;
  static const std::string path = [] {
    auto sa = sim::make_service_account("gmail-capture-sim", "capture", 1);
    REQUIRE(sa.ok());
    auto p = dir.file("sa.json");
    REQUIRE(sim::write_service_account_key(*sa, "https://oauth2.googleapis.com/token", p).ok());
    return p;
  }();
  return path;
}

} // namespace

sim_fixture::sim_fixture(sim::sim_options opts, const std::string& workspace) {
  if (opts.sa_key_in.empty()) opts.sa_key_in = shared_key_file();
  auto spec = sim::workspace_spec::parse(workspace);
  REQUIRE(spec.ok());
  auto s = sim::sim_server::create(ioc_, std::move(opts), sim::workspace::generate(*spec));
  REQUIRE(s.ok());
  sim_ = std::move(*s);
  users_ = sim_->ws().mailboxes();
  REQUIRE(users_.size() >= 2);
  sim_->start();
  work_.emplace(boost::asio::make_work_guard(ioc_));
  runner_ = std::thread([this] { ioc_.run(); });
}

sim_fixture::~sim_fixture() {
  // Let the server see every client close first: http::server::stop() can self-deadlock when a
  // session dies while stop() walks the live list (reported to the lead). Bounded wait.
  for (int i = 0; i < 5000 && sim_->connections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  sim_->stop();
  work_.reset();
  ioc_.stop();
  runner_.join();
  sim_.reset();
}

reply sim_fixture::call(const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), sim_->port()});
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(sim_->port()));
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  beast::error_code ec;
  bhttp::read(stream, buf, parser, ec);
  reply out;
  if (ec) return out;   // closed without an answer
  auto res = parser.release();
  out.status = res.result_int();
  for (const auto& f : res) {
    std::string name{f.name_string()};
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string{f.value()};
  }
  out.body = res.body();
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

reply sim_fixture::get(const std::string& target, const std::string& token) {
  std::map<std::string, std::string> h;
  if (!token.empty()) h["Authorization"] = "Bearer " + token;
  return call("GET", target, {}, h);
}

reply sim_fixture::post_form(const std::string& target, const std::string& f) {
  return call("POST", target, f, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::string sim_fixture::assertion(const std::string& sub, const std::string& scopes, const json& patch) const {
  const auto& sa = sim_->account();
  auto now = sim_->clock().now_seconds();
  json claims = {{"iss", sa.client_email}, {"scope", scopes}, {"aud", sim_->token_uri()},
                 {"iat", now},            {"exp", now + 3600}};
  if (!sub.empty()) claims["sub"] = sub;
  for (auto& [k, v] : patch.items()) {
    if (v.is_null()) claims.erase(k);
    else claims[k] = v;
  }
  return core::jwt_encode_rs256({{"typ", "JWT"}, {"kid", sa.private_key_id}}, claims, *sa.key);
}

reply sim_fixture::jwt_grant(const std::string& a) {
  return post_form("/token", form({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", a}}));
}

std::string sim_fixture::token_for(const std::string& sub, const std::string& scopes) {
  auto r = jwt_grant(assertion(sub, scopes));
  REQUIRE(r.status == 200);
  return r.json_body().at("access_token").get<std::string>();
}

std::string form(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out;
  for (const auto& [k, v] : kv) out += (out.empty() ? "" : "&") + core::url_encode(k) + "=" + core::url_encode(v);
  return out;
}

} // namespace gc::test

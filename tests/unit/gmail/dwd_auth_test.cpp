// The DWD provider: key-file loading, the JWT it signs (decoded with core/jwt.hpp), the form it
// posts, caching, shared in-flight mints, the single internal_failure retry, and refusals.
#include "core/encoding.hpp"
#include "core/jwt.hpp"
#include "gmail/dwd_auth.hpp"
#include "unit/gmail/error_fixtures.hpp"
#include "unit/gmail/gmail_test_util.hpp"

#include <fstream>

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using Catch::Matchers::Contains;

namespace {

const core::rsa_private_key& test_key() {
  static const auto k = core::generate_rsa_key(2048).value();
  return k;
}

json key_file_json(const std::string& token_uri) {
  return {{"type", "service_account"},
          {"project_id", "fund-crm"},
          {"private_key_id", "0123456789abcdef0123456789abcdef01234567"},
          {"private_key", test_key().private_pem()},
          {"client_email", "capture@fund-crm.iam.gserviceaccount.com"},
          {"client_id", "104683795948193201234"},
          {"token_uri", token_uri}};
}

// Form body "a=1&b=2" -> map.
std::map<std::string, std::string> form(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i <= body.size()) {
    auto amp = body.find('&', i);
    auto item = body.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    auto eq = item.find('=');
    if (eq != std::string::npos) out[item.substr(0, eq)] = core::url_decode(item.substr(eq + 1)).value_or("?");
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return out;
}

http::response_t json_reply(unsigned status, const std::string& body) {
  http::response_t r{static_cast<http::bhttp::status>(status), 11};
  r.set(http::bhttp::field::content_type, "application/json; charset=utf-8");
  r.body() = body;
  r.prepare_payload();
  return r;
}

} // namespace

TEST_CASE("service-account key files load, and bad ones are refused without key text", "[gmail][dwd]") {
  auto k = parse_service_account_key(key_file_json("https://oauth2.googleapis.com/token").dump());
  REQUIRE(k);
  CHECK(k->client_email == "capture@fund-crm.iam.gserviceaccount.com");
  CHECK(k->private_key_id == "0123456789abcdef0123456789abcdef01234567");
  auto no_email = key_file_json("x");
  no_email.erase("client_email");
  CHECK(parse_service_account_key(no_email.dump()).error().message == "the service-account key file has no 'client_email'");
  auto tampered = key_file_json("x");
  auto pem = tampered["private_key"].get<std::string>();
  pem[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
  pem.erase(40, 60);
  tampered["private_key"] = pem;
  auto bad = parse_service_account_key(tampered.dump());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == "bad_key");
  CHECK_THAT(bad.error().message, !Contains("PRIVATE KEY"));
  CHECK(load_service_account_key("/nonexistent/key.json").error().code == "io");
}

TEST_CASE("the DWD assertion carries iss, sub, scope, aud, iat, exp=iat+3600 and kid", "[gmail][dwd]") {
  net::http_client http;
  dwd_options o;
  o.token_uri = "http://127.0.0.1:9/token";   // CRM_GMAIL_TOKEN_URI wins over the key file
  dwd_auth dwd{http, parse_service_account_key(key_file_json("https://oauth2.googleapis.com/token").dump()).value(), o};
  CHECK(dwd.token_uri() == "http://127.0.0.1:9/token");
  auto iat = std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)};
  auto jwt = core::jwt_decode(dwd.assertion("ann@fund.example", {scopes::readonly, scopes::compose}, iat));
  REQUIRE(jwt);
  CHECK(jwt->header == json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "0123456789abcdef0123456789abcdef01234567"}});
  CHECK(jwt->claims["iss"] == "capture@fund-crm.iam.gserviceaccount.com");
  CHECK(jwt->claims["sub"] == "ann@fund.example");
  CHECK(jwt->claims["aud"] == "http://127.0.0.1:9/token");
  CHECK(jwt->claims["scope"] == "https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.readonly");
  CHECK(jwt->claims["iat"] == 1700000000);
  CHECK(jwt->claims["exp"] == 1700003600);
  CHECK(core::jwt_verify_rs256(*jwt, core::rsa_public_key::from_private(test_key())));

  // Google's default URI in the configuration does not override a key file naming another.
  dwd_options d;
  d.token_uri = google_token_uri;
  dwd_auth sim_key{http, parse_service_account_key(key_file_json("http://127.0.0.1:7/token").dump()).value(), d};
  CHECK(sim_key.token_uri() == "http://127.0.0.1:7/token");
}

TEST_CASE("DWD mints through the token endpoint, caches, shares mints, retries internal_failure once",
          "[gmail][dwd]") {
  test::fake_google google;
  std::atomic<int> internal_failures{0};
  std::atomic<int> issued{0};
  std::atomic<int> lifetime{3599};
  google.routes().post("/token", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    google.record(ctx);
    if (internal_failures > 0) {
      --internal_failures;
      return reply(json_reply(500, test::gerr::internal_failure));
    }
    auto f = form(ctx.req.body());
    auto jwt = core::jwt_decode(f["assertion"]);
    if (f["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !jwt ||
        !core::jwt_verify_rs256(*jwt, core::rsa_public_key::from_private(test_key())))
      return reply(json_reply(400, test::gerr::invalid_grant_email));
    if (jwt->claims["sub"] == "nobody@fund.example") return reply(json_reply(401, test::gerr::unauthorized_client));
    reply(json_reply(200, json{{"access_token", "ya29.sim-" + std::to_string(++issued)},
                               {"expires_in", lifetime.load()},
                               {"token_type", "Bearer"}}.dump()));
  });
  google.start();
  net::http_client http;
  auto now = std::make_shared<std::atomic<int64_t>>(1700000000);
  dwd_options o;
  o.token_uri = google.base() + "/token";
  o.clock = [now] { return std::chrono::system_clock::time_point{std::chrono::seconds(now->load())}; };
  auto dwd = std::make_shared<dwd_auth>(http, parse_service_account_key(key_file_json(google_token_uri).dump()).value(), o);

  SECTION("concurrent requests share one mint; the token is then cached") {
    std::vector<std::shared_ptr<std::promise<outcome<access_token>>>> ps;
    for (int i = 0; i < 5; ++i) {
      auto p = std::make_shared<std::promise<outcome<access_token>>>();
      ps.push_back(p);
      dwd->token("Ann@fund.example", scopes::capture, [p](outcome<access_token> t) { p->set_value(std::move(t)); });
    }
    for (auto& p : ps) {
      auto f = p->get_future();
      REQUIRE(f.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
      auto t = f.get();
      REQUIRE(t);
      CHECK(t->value == "ya29.sim-1");
      CHECK(t->expires_at == std::chrono::system_clock::time_point{std::chrono::seconds(1700000000 + 3599)});
    }
    CHECK(dwd->mints() == 1);
    CHECK(google.count("POST /token") == 1);
    auto again = await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); });
    CHECK(again->value == "ya29.sim-1");
    CHECK(google.count("POST /token") == 1);
    // Another scope set is another token.
    auto other = await<outcome<access_token>>(
        [&](auto cb) { dwd->token("ann@fund.example", {scopes::readonly, scopes::compose}, cb); });
    CHECK(other->value == "ya29.sim-2");
    // Less than 5 minutes left: minted again.
    *now += 3599 - 299;
    auto renewed = await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); });
    CHECK(renewed->value == "ya29.sim-3");
    // invalidate with a stale value keeps the new token; with the current one drops it.
    dwd->invalidate("ann@fund.example", scopes::capture, "ya29.sim-1");
    CHECK(await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); })->value ==
          "ya29.sim-3");
    dwd->invalidate("ann@fund.example", scopes::capture, "ya29.sim-3");
    CHECK(await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); })->value ==
          "ya29.sim-4");
  }
  SECTION("the form is a jwt-bearer grant and never logs the assertion") {
    auto t = await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); });
    REQUIRE(t);
    auto req = google.requests().at(0);
    CHECK(req.content_type == "application/x-www-form-urlencoded");
    CHECK(req.body.rfind("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ", 0) == 0);
  }
  SECTION("internal_failure is retried once, then surfaces as retryable") {
    internal_failures = 1;
    auto t = await<outcome<access_token>>([&](auto cb) { dwd->token("ann@fund.example", scopes::capture, cb); });
    REQUIRE(t);
    CHECK(google.count("POST /token") == 2);
    internal_failures = 2;
    auto u = await<outcome<access_token>>([&](auto cb) { dwd->token("bob@fund.example", scopes::capture, cb); });
    REQUIRE_FALSE(u);
    CHECK(u.error().kind == error_kind::retryable);
    CHECK(u.error().reason == "internal_failure");
    CHECK(google.count("POST /token") == 4);
  }
  SECTION("refusals are auth errors in plain words naming mailbox and scopes") {
    auto t = await<outcome<access_token>>([&](auto cb) { dwd->token("nobody@fund.example", scopes::capture, cb); });
    REQUIRE_FALSE(t);
    CHECK(t.error().kind == error_kind::auth);
    CHECK(t.error().reason == "unauthorized_client");
    CHECK_THAT(describe(t.error()), Contains("mailbox nobody@fund.example, scopes gmail.readonly"));
    CHECK(dwd->mints() == 1);   // errors are not cached: the next call mints again
    auto again = await<outcome<access_token>>([&](auto cb) { dwd->token("nobody@fund.example", scopes::capture, cb); });
    CHECK(dwd->mints() == 2);
  }
}

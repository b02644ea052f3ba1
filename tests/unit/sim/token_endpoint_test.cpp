// The simulated token endpoint over real HTTP: JWT-bearer grants verified for real, with
// Google's exact error bodies (gmail-api.md §1.1).
#include "endpoint_fixture.hpp"

#include "core/encoding.hpp"
#include "core/jwt.hpp"
#include "sim/token_accounts.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::test::sim_fixture;

namespace {

const std::string readonly = "https://www.googleapis.com/auth/gmail.readonly";
const std::string compose = "https://www.googleapis.com/auth/gmail.compose";
const std::string short_lived =
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values and use a clock with skew to account for clock differences "
    "between systems.";
const std::string unauthorized =
    "Client is unauthorized to retrieve access tokens using this method, or client not authorized "
    "for any of the scopes requested.";

json oauth_err(const std::string& code, const std::string& text) {
  return {{"error", code}, {"error_description", text}};
}

} // namespace

TEST_CASE("token endpoint grants a DWD token for a good JWT", "[sim][token]") {
  sim_fixture f;
  auto r = f.jwt_grant(f.assertion(f.user(0), readonly + " " + compose));
  REQUIRE(r.status == 200);
  auto j = r.json_body();
  CHECK(j.at("access_token").get<std::string>().rfind("ya29.", 0) == 0);
  CHECK(j.at("expires_in") == 3599);
  CHECK(j.at("token_type") == "Bearer");
  CHECK_FALSE(j.contains("refresh_token"));
  CHECK(r.headers["content-type"].rfind("application/json", 0) == 0);
}

TEST_CASE("token endpoint refuses bad JWTs with Google's exact bodies", "[sim][token]") {
  sim_fixture f;
  const auto sub = f.user(0);
  const auto now = f.sim().clock().now_seconds();

  SECTION("tampered claims") {
    auto a = f.assertion(sub, readonly);
    auto dot1 = a.find('.'), dot2 = a.rfind('.');
    auto claims = json::parse(*gc::core::base64_decode(a.substr(dot1 + 1, dot2 - dot1 - 1)));
    claims["sub"] = f.user(1);   // re-encoded claims, old signature
    auto forged = a.substr(0, dot1 + 1) + gc::core::base64url_encode(claims.dump()) + a.substr(dot2);
    auto r = f.jwt_grant(forged);
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid JWT Signature."));
  }
  SECTION("signed with another key") {
    auto other = gc::core::generate_rsa_key(2048);
    REQUIRE(other.ok());
    json claims = {{"iss", f.sim().account().client_email}, {"scope", readonly}, {"sub", sub},
                   {"aud", f.sim().token_uri()},           {"iat", now},       {"exp", now + 3600}};
    auto r = f.jwt_grant(gc::core::jwt_encode_rs256({{"typ", "JWT"}}, claims, *other));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid JWT Signature."));
  }
  SECTION("garbage assertion") {
    auto r = f.jwt_grant("not-a-jwt");
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid JWT Signature."));
  }
  SECTION("wrong aud") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"aud", "https://example.com/token"}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid JWT: Failed audience check."));
  }
  SECTION("Google's own aud is accepted") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"aud", "https://oauth2.googleapis.com/token"}}));
    CHECK(r.status == 200);
  }
  SECTION("expired exp") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"iat", now - 7200}, {"exp", now - 3600}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", short_lived));
  }
  SECTION("exp - iat over 3600") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"iat", now}, {"exp", now + 3601}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", short_lived));
  }
  SECTION("iat in the future beyond the 60 s skew") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"iat", now + 120}, {"exp", now + 1200}}));
    CHECK(r.json_body() == oauth_err("invalid_grant", short_lived));
  }
  SECTION("iat within the skew is fine") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"iat", now + 30}, {"exp", now + 3630}}));
    CHECK(r.status == 200);
  }
  SECTION("scope outside the DWD allow-list") {
    auto r = f.jwt_grant(f.assertion(sub, readonly + " https://www.googleapis.com/auth/gmail.modify"));
    CHECK(r.status == 401);
    CHECK(r.json_body() == oauth_err("unauthorized_client", unauthorized));
  }
  SECTION("unknown sub in the domain") {
    auto r = f.jwt_grant(f.assertion("nobody@" + f.sim().ws().domain(), readonly));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid email or User ID"));
  }
  SECTION("malformed sub") {
    auto r = f.jwt_grant(f.assertion("not an email", readonly));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Not a valid email."));
  }
  SECTION("consumer sub outside the domain") {
    auto r = f.jwt_grant(f.assertion("someone@gmail.com", readonly));
    CHECK(r.status == 401);
    CHECK(r.json_body() == oauth_err("unauthorized_client", unauthorized));
  }
  SECTION("unknown issuer") {
    auto r = f.jwt_grant(f.assertion(sub, readonly, {{"iss", "ghost@nowhere.iam.gserviceaccount.com"}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("invalid_grant", "Invalid grant: account not found"));
  }
  SECTION("unknown grant type") {
    auto r = f.post_form("/token", gc::test::form({{"grant_type", "password"}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() == oauth_err("unsupported_grant_type", "Invalid grant_type: password"));
  }
}

TEST_CASE("padded base64url segments (google-auth 1.x) are accepted", "[sim][token]") {
  sim_fixture f;
  const auto& sa = f.sim().account();
  auto now = f.sim().clock().now_seconds();
  json header = {{"typ", "JWT"}, {"alg", "RS256"}, {"kid", sa.private_key_id}};
  json claims = {{"iss", sa.client_email}, {"scope", readonly}, {"sub", f.user(0)},
                 {"aud", f.sim().token_uri()}, {"iat", now}, {"exp", now + 3600}};
  auto seg = [](const std::string& s) { return gc::core::base64url_encode(s, true); };
  std::string input = seg(header.dump()) + "." + seg(claims.dump() + " ");   // force padding
  REQUIRE(input.find('=') != std::string::npos);
  auto jwt = input + "." + seg(gc::core::rs256_sign(*sa.key, input));
  CHECK(f.jwt_grant(jwt).status == 200);
  auto tampered = jwt;
  tampered[tampered.find('.') + 3] ^= 1;
  CHECK(f.jwt_grant(tampered).status == 400);
}

TEST_CASE("the DWD allow-list is configurable and internal_failure can be injected", "[sim][token]") {
  gc::sim::sim_options o;
  o.dwd_scopes = {readonly};
  sim_fixture f{o};
  auto r = f.jwt_grant(f.assertion(f.user(0), readonly + " " + compose));
  CHECK(r.status == 401);

  auto fo = f.sim().faults().options();
  fo.token_internal_failure = 1.0;
  f.sim().faults().set_options(fo);
  r = f.jwt_grant(f.assertion(f.user(0), readonly));
  CHECK(r.status == 500);
  CHECK(r.json_body() == json{{"error", "internal_failure"}});
}

TEST_CASE("the written service-account key file works with the token endpoint", "[sim][token]") {
  gc::test::temp_dir dir;
  sim_fixture f;
  auto path = dir.file("sa.json");
  REQUIRE(f.sim().write_sa_key(path).ok());
  auto loaded = gc::sim::load_service_account(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->client_email == f.sim().account().client_email);
  CHECK(loaded->private_key_id == f.sim().account().private_key_id);

  auto key_json = gc::sim::service_account_key_json(*loaded, f.sim().token_uri());
  CHECK(key_json["type"] == "service_account");
  CHECK(key_json["token_uri"] == f.sim().token_uri());
  CHECK(key_json["client_id"].get<std::string>().size() == 21);

  auto now = f.sim().clock().now_seconds();
  json claims = {{"iss", loaded->client_email}, {"scope", readonly}, {"sub", f.user(1)},
                 {"aud", key_json["token_uri"]}, {"iat", now},        {"exp", now + 3600}};
  auto jwt = gc::core::jwt_encode_rs256({{"typ", "JWT"}, {"kid", loaded->private_key_id}}, claims, *loaded->key);
  CHECK(f.jwt_grant(jwt).status == 200);
}

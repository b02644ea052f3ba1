// The per-user OAuth flow against the simulator: consent redirect, code exchange, refresh,
// revocation (gmail-api.md §1.2).
#include "endpoint_fixture.hpp"

#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "http/router.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::test::form;
using gc::test::sim_fixture;

namespace {

const std::string redirect = "http://127.0.0.1:9/oauth/callback";
const std::string client_id = "sim-client.apps.googleusercontent.com";
const std::string secret = "sim-client-secret";

std::multimap<std::string, std::string> query_of(const std::string& location) {
  std::string path;
  std::multimap<std::string, std::string> q;
  REQUIRE(gc::http::split_target(location.substr(location.find("/oauth")), path, q));
  return q;
}

std::string auth_url(const std::string& extra = {}) {
  return "/o/oauth2/v2/auth?client_id=" + gc::core::url_encode(client_id) +
         "&redirect_uri=" + gc::core::url_encode(redirect) +
         "&response_type=code&access_type=offline&prompt=consent&state=xyz%20123"
         "&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly" + extra;
}

} // namespace

TEST_CASE("OAuth: consent redirect, code exchange, refresh, revoke", "[sim][token][oauth]") {
  sim_fixture f;
  auto login = f.get(auth_url("&login_hint=" + gc::core::url_encode(f.user(1))));
  REQUIRE(login.status == 302);
  auto q = query_of(login.headers["location"]);
  CHECK(q.find("state")->second == "xyz 123");
  auto code = q.find("code")->second;
  CHECK(code.rfind("4/", 0) == 0);

  auto ex = f.post_form("/token", form({{"grant_type", "authorization_code"}, {"code", code},
                                        {"client_id", client_id}, {"client_secret", secret},
                                        {"redirect_uri", redirect}}));
  REQUIRE(ex.status == 200);
  auto tokens = ex.json_body();
  CHECK(tokens["expires_in"] == 3599);
  CHECK(tokens["scope"] == "https://www.googleapis.com/auth/gmail.readonly");
  auto refresh = tokens["refresh_token"].get<std::string>();
  auto access = tokens["access_token"].get<std::string>();
  auto prof = f.get("/gmail/v1/users/me/profile", access);
  REQUIRE(prof.status == 200);
  CHECK(prof.json_body()["emailAddress"] == f.user(1));   // login_hint picked the user

  SECTION("the code is single-use") {
    auto again = f.post_form("/token", form({{"grant_type", "authorization_code"}, {"code", code},
                                             {"client_id", client_id}, {"client_secret", secret},
                                             {"redirect_uri", redirect}}));
    CHECK(again.status == 400);
    CHECK(again.json_body()["error"] == "invalid_grant");
  }
  SECTION("refresh gives a new access token without a refresh token") {
    auto r = f.post_form("/token", form({{"grant_type", "refresh_token"}, {"refresh_token", refresh},
                                         {"client_id", client_id}, {"client_secret", secret}}));
    REQUIRE(r.status == 200);
    CHECK_FALSE(r.json_body().contains("refresh_token"));
    CHECK(r.json_body()["access_token"] != access);
  }
  SECTION("bad client secret: 401 invalid_client") {
    auto r = f.post_form("/token", form({{"grant_type", "refresh_token"}, {"refresh_token", refresh},
                                         {"client_id", client_id}, {"client_secret", "nope"}}));
    CHECK(r.status == 401);
    CHECK(r.json_body() == json{{"error", "invalid_client"}, {"error_description", "Unauthorized"}});
    auto unknown = f.post_form("/token", form({{"grant_type", "refresh_token"}, {"refresh_token", refresh},
                                               {"client_id", "other"}, {"client_secret", secret}}));
    CHECK(unknown.json_body() ==
          json{{"error", "invalid_client"}, {"error_description", "The OAuth client was not found."}});
  }
  SECTION("revoked refresh token: invalid_grant, and its access tokens die") {
    auto rv = f.post_form("/__sim/revoke", form({{"token", refresh}}));
    CHECK(rv.status == 200);
    auto r = f.post_form("/token", form({{"grant_type", "refresh_token"}, {"refresh_token", refresh},
                                         {"client_id", client_id}, {"client_secret", secret}}));
    CHECK(r.status == 400);
    CHECK(r.json_body() ==
          json{{"error", "invalid_grant"}, {"error_description", "Token has been expired or revoked."}});
    CHECK(f.get("/gmail/v1/users/me/profile", access).status == 401);
  }
  SECTION("Google's /revoke endpoint works too") {
    CHECK(f.post_form("/revoke", form({{"token", refresh}})).status == 200);
    CHECK(f.post_form("/revoke", form({{"token", refresh}})).status == 400);
  }
}

TEST_CASE("OAuth: PKCE, denied consent, unknown client", "[sim][token][oauth]") {
  sim_fixture f;
  SECTION("PKCE S256 verifier is checked") {
    std::string verifier = "a-very-long-code-verifier-value-for-pkce-0123456789";
    auto challenge = gc::core::base64url_encode(gc::core::sha256(verifier));
    auto q = query_of(f.get(auth_url("&code_challenge_method=S256&code_challenge=" + challenge)).headers["location"]);
    auto code = q.find("code")->second;
    auto base = std::vector<std::pair<std::string, std::string>>{
        {"grant_type", "authorization_code"}, {"code", code}, {"client_id", client_id},
        {"client_secret", secret},            {"redirect_uri", redirect}};
    auto wrong = base;
    wrong.emplace_back("code_verifier", "wrong");
    auto r = f.post_form("/token", form(wrong));
    CHECK(r.json_body() == json{{"error", "invalid_grant"}, {"error_description", "Invalid code verifier."}});

    auto q2 = query_of(f.get(auth_url("&code_challenge_method=S256&code_challenge=" + challenge)).headers["location"]);
    base[1].second = q2.find("code")->second;
    base.emplace_back("code_verifier", verifier);
    CHECK(f.post_form("/token", form(base)).status == 200);
  }
  SECTION("denied consent redirects with error=access_denied") {
    auto c = f.call("POST", "/__sim/oauth", R"({"deny_consent":true})", {{"Content-Type", "application/json"}});
    CHECK(c.status == 200);
    auto q = query_of(f.get(auth_url()).headers["location"]);
    CHECK(q.find("error")->second == "access_denied");
    CHECK(q.count("code") == 0);
  }
  SECTION("unknown client id") {
    auto r = f.get("/o/oauth2/v2/auth?client_id=nope&redirect_uri=" + gc::core::url_encode(redirect) +
                   "&response_type=code&scope=x");
    CHECK(r.status == 401);
    CHECK(r.json_body()["error"] == "invalid_client");
  }
}

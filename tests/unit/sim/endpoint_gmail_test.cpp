// Gmail v1 routes over real HTTP: auth binding (token -> subject, scopes), Google's exact
// error bodies (gmail-api.md §1.1, §3.2), faults.
#include "endpoint_fixture.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::test::sim_fixture;

namespace {

json google_err(int code, const std::string& msg, const std::string& domain, const std::string& reason,
                const std::string& status) {
  return {{"error",
           {{"code", code},
            {"message", msg},
            {"errors", json::array({{{"message", msg}, {"domain", domain}, {"reason", reason}}})},
            {"status", status}}}};
}

std::string users(const std::string& u) { return "/gmail/v1/users/" + u; }

} // namespace

TEST_CASE("Gmail routes answer for the token's subject", "[sim][endpoint]") {
  sim_fixture f;
  auto tok = f.token_for(f.user(0));

  auto me = f.get(users("me") + "/profile", tok);
  REQUIRE(me.status == 200);
  CHECK(me.json_body()["emailAddress"] == f.user(0));
  CHECK(me.json_body()["historyId"].is_string());
  auto by_addr = f.get(users(f.user(0)) + "/profile", tok);
  CHECK(by_addr.status == 200);
  CHECK(by_addr.json_body() == me.json_body());

  auto list = f.get(users("me") + "/messages?maxResults=5", tok);
  REQUIRE(list.status == 200);
  auto msgs = list.json_body()["messages"];
  REQUIRE(msgs.size() == 5);
  auto id = msgs[0]["id"].get<std::string>();

  auto msg = f.get(users("me") + "/messages/" + id + "?format=metadata&metadataHeaders=Subject", tok);
  REQUIRE(msg.status == 200);
  CHECK(msg.json_body()["id"] == id);

  auto thread = f.get(users("me") + "/threads/" + msgs[0]["threadId"].get<std::string>(), tok);
  CHECK(thread.status == 200);

  SECTION("fields selects keys, prettyPrint=false is compact") {
    auto r = f.get(users("me") + "/messages/" + id + "?format=minimal&fields=id,threadId&prettyPrint=false", tok);
    REQUIRE(r.status == 200);
    CHECK(r.json_body() == json{{"id", id}, {"threadId", msgs[0]["threadId"]}});
    CHECK(r.body.find('\n') == std::string::npos);
    auto l = f.get(users("me") + "/messages?maxResults=2&fields=messages(id)", tok);
    CHECK(l.json_body()["messages"][0].size() == 1);
    CHECK_FALSE(l.json_body().contains("resultSizeEstimate"));
  }
  SECTION("unknown message: 404 notFound") {
    auto r = f.get(users("me") + "/messages/00000000deadbeef", tok);
    CHECK(r.status == 404);
    CHECK(r.json_body() == google_err(404, "Requested entity was not found.", "global", "notFound", "NOT_FOUND"));
  }
  SECTION("bad parameter: 400 invalidArgument") {
    auto r = f.get(users("me") + "/messages/" + id + "?format=bogus", tok);
    CHECK(r.status == 400);
    CHECK(r.json_body()["error"]["errors"][0]["reason"] == "invalidArgument");
    CHECK(r.json_body()["error"]["status"] == "INVALID_ARGUMENT");
  }
  SECTION("history from the profile's historyId is empty") {
    auto h = f.get(users("me") + "/history?startHistoryId=" + me.json_body()["historyId"].get<std::string>(), tok);
    REQUIRE(h.status == 200);
    CHECK(h.json_body()["historyId"] == me.json_body()["historyId"]);
  }
}

TEST_CASE("Gmail routes enforce the DWD binding with Google's bodies", "[sim][endpoint]") {
  sim_fixture f;
  SECTION("another user's mailbox: Delegation denied") {
    auto tok = f.token_for(f.user(0));
    auto r = f.get(users(f.user(1)) + "/profile", tok);
    CHECK(r.status == 403);
    CHECK(r.json_body() == google_err(403, "Delegation denied for " + f.user(0), "global", "forbidden",
                                      "PERMISSION_DENIED"));
  }
  SECTION("token without sub: Precondition check failed") {
    auto tok = f.token_for("");
    auto r = f.get(users("me") + "/messages", tok);
    CHECK(r.status == 400);
    CHECK(r.json_body() == google_err(400, "Precondition check failed.", "global", "failedPrecondition",
                                      "FAILED_PRECONDITION"));
  }
  SECTION("compose-only token cannot read: insufficientPermissions") {
    auto tok = f.token_for(f.user(0), "https://www.googleapis.com/auth/gmail.compose");
    auto r = f.get(users("me") + "/messages", tok);
    CHECK(r.status == 403);
    json expect = {{"error",
                    {{"code", 403},
                     {"message", "Request had insufficient authentication scopes."},
                     {"errors", json::array({{{"message", "Insufficient Permission"},
                                              {"domain", "global"},
                                              {"reason", "insufficientPermissions"}}})},
                     {"status", "PERMISSION_DENIED"}}}};
    CHECK(r.json_body() == expect);
    CHECK(f.get(users("me") + "/profile", tok).status == 200);   // getProfile allows compose
  }
  SECTION("expired or unknown access token: 401 authError") {
    json expect = {{"error",
                    {{"code", 401},
                     {"message", "Invalid Credentials"},
                     {"errors", json::array({{{"message", "Invalid Credentials"},
                                              {"domain", "global"},
                                              {"reason", "authError"},
                                              {"location", "Authorization"},
                                              {"locationType", "header"}}})},
                     {"status", "UNAUTHENTICATED"}}}};
    auto tok = f.token_for(f.user(0));
    CHECK(f.get(users("me") + "/profile", tok).status == 200);
    f.sim().clock().advance(std::chrono::seconds(3600));
    auto r = f.get(users("me") + "/profile", tok);
    CHECK(r.status == 401);
    CHECK(r.json_body() == expect);
    CHECK(r.headers.count("www-authenticate") == 1);
    CHECK(f.get(users("me") + "/profile", "ya29.never-issued").json_body() == expect);
  }
  SECTION("short TTL: expires_in follows, and the token dies after it") {
    f.sim().tokens().set_ttl(std::chrono::seconds(5));
    auto r = f.jwt_grant(f.assertion(f.user(0), "https://www.googleapis.com/auth/gmail.readonly"));
    CHECK(r.json_body()["expires_in"] == 5);
    auto tok = r.json_body()["access_token"].get<std::string>();
    CHECK(f.get(users("me") + "/profile", tok).status == 200);
    f.sim().clock().advance(std::chrono::seconds(6));
    CHECK(f.get(users("me") + "/profile", tok).status == 401);
  }
  SECTION("no Authorization header: 401 required") {
    auto r = f.get(users("me") + "/profile");
    CHECK(r.status == 401);
    CHECK(r.json_body()["error"]["errors"][0]["reason"] == "required");
  }
}

TEST_CASE("Gmail fault injection: 500, 503, drop, slow, history 404", "[sim][endpoint][faults]") {
  sim_fixture f;
  auto tok = f.token_for(f.user(0));
  auto fo = f.sim().faults().options();
  SECTION("500 backendError") {
    fo.fail_500 = 1.0;
    f.sim().faults().set_options(fo);
    auto r = f.get(users("me") + "/profile", tok);
    CHECK(r.status == 500);
    CHECK(r.json_body() == google_err(500, "Backend Error", "global", "backendError", "INTERNAL"));
  }
  SECTION("503") {
    fo.fail_503 = 1.0;
    f.sim().faults().set_options(fo);
    auto r = f.get(users("me") + "/profile", tok);
    CHECK(r.status == 503);
    CHECK(r.json_body()["error"]["status"] == "UNAVAILABLE");
  }
  SECTION("dropped connection") {
    fo.drop = 1.0;
    f.sim().faults().set_options(fo);
    auto r = f.get(users("me") + "/profile", tok);
    CHECK(r.status == 0);
    CHECK(f.sim().faults().stats()["dropped"] == 1);
  }
  SECTION("slow replies still answer correctly (delay on the sim timer)") {
    fo.slow_ms = 50;
    f.sim().faults().set_options(fo);
    CHECK(f.get(users("me") + "/profile", tok).status == 200);
  }
  SECTION("history 404") {
    fo.history_404 = true;
    f.sim().faults().set_options(fo);
    auto r = f.get(users("me") + "/history?startHistoryId=1", tok);
    CHECK(r.status == 404);
    CHECK(r.json_body()["error"]["message"] == "Requested entity was not found.");
  }
  SECTION("the same seed gives the same fault sequence") {
    auto draw = [&](uint64_t seed) {
      fo.fail_500 = 0.5;
      fo.seed = seed + 1;   // force a reseed
      f.sim().faults().set_options(fo);
      fo.seed = seed;
      f.sim().faults().set_options(fo);
      std::string seq;
      for (int i = 0; i < 16; ++i) seq += f.get(users("me") + "/profile", tok).status == 500 ? 'x' : '.';
      return seq;
    };
    auto a = draw(7), b = draw(7);
    CHECK(a == b);
    CHECK(a.find('x') != std::string::npos);
    CHECK(a.find('.') != std::string::npos);
  }
}

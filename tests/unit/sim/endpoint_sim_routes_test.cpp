// The sim-only /__sim/ routes: live mail, history expiry, faults, truth, stats.
#include "endpoint_fixture.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::test::sim_fixture;

namespace {
const std::map<std::string, std::string> json_ct = {{"Content-Type", "application/json"}};
}

TEST_CASE("/__sim/ control routes drive the simulator", "[sim][endpoint][control]") {
  sim_fixture f;
  auto tok = f.token_for(f.user(0));
  auto profile = [&] { return f.get("/gmail/v1/users/me/profile", tok).json_body(); };
  auto start = profile()["historyId"].get<std::string>();

  SECTION("live mail moves historyIds, and the changes show in history.list") {
    auto t = f.call("POST", "/__sim/tick?n=20");
    REQUIRE(t.status == 200);
    CHECK(t.json_body()["added"].get<int>() + t.json_body()["deleted"].get<int>() +
              t.json_body()["relabelled"].get<int>() > 0);
    auto stats = f.get("/__sim/stats").json_body();
    CHECK(stats["live"]["added"] == t.json_body()["added"]);
    auto h = f.get("/gmail/v1/users/me/history?startHistoryId=" + start, tok);
    CHECK(h.status == 200);
  }
  SECTION("history-horizon makes an older startHistoryId 404; expire-history keeps the current one") {
    auto next = std::to_string(std::stoull(start) + 1);
    CHECK(f.call("POST", "/__sim/history-horizon?user=" + f.user(0) + "&id=" + next).status == 200);
    auto h = f.get("/gmail/v1/users/me/history?startHistoryId=" + start, tok);
    CHECK(h.status == 404);
    CHECK(h.json_body()["error"]["errors"][0]["reason"] == "notFound");
    CHECK(f.call("POST", "/__sim/expire-history").status == 200);
    auto now = profile()["historyId"].get<std::string>();
    CHECK(f.get("/gmail/v1/users/me/history?startHistoryId=" + now, tok).status == 200);
  }
  SECTION("faults are set over HTTP and reported in stats") {
    REQUIRE(f.call("POST", "/__sim/faults", R"({"fail_503":1.0})", json_ct).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok).status == 503);
    REQUIRE(f.call("POST", "/__sim/faults", R"({"fail_503":0})", json_ct).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok).status == 200);
    auto stats = f.get("/__sim/stats").json_body();
    CHECK(stats["faults"]["injected_503"] == 1);
    CHECK(stats["gmail"]["status"]["503"] == 1);
  }
  SECTION("the clock route expires access tokens") {
    REQUIRE(f.call("POST", "/__sim/clock/advance?seconds=4000").status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok).status == 401);
  }
  SECTION("truth, CRM seed and the service-account key are readable") {
    auto truth = f.get("/__sim/truth");
    REQUIRE(truth.status == 200);
    auto head = json::parse(truth.body.substr(0, truth.body.find('\n')));
    CHECK(head["domain"] == f.sim().ws().domain());
    CHECK(truth.headers["content-type"] == "application/x-ndjson");
    CHECK(f.get("/__sim/crm-seed").status == 200);
    auto sa = f.get("/__sim/service-account").json_body();
    CHECK(sa["type"] == "service_account");
    CHECK(sa["token_uri"] == f.sim().token_uri());
  }
  SECTION("a bad control request is a 400, not a crash") {
    CHECK(f.call("POST", "/__sim/clock/advance?seconds=abc").status == 400);
    CHECK(f.call("POST", "/__sim/quota", R"({"table":"1999"})", json_ct).status == 400);
  }
}

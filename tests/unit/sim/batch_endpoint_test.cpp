// The batch endpoint over real HTTP: inner calls through the same pipeline (auth inherited,
// quota and the in-flight cap per inner call), server-chosen boundary, the cap error.
#include "endpoint_fixture.hpp"

#include "sim/batch_codec.hpp"

#include <catch2/catch.hpp>
#include <set>

using gc::json;
using gc::test::sim_fixture;

namespace {

std::vector<std::string> message_ids(sim_fixture& f, const std::string& tok, int n) {
  auto r = f.get("/gmail/v1/users/me/messages?maxResults=" + std::to_string(n), tok);
  REQUIRE(r.status == 200);
  std::vector<std::string> ids;
  auto j = r.json_body();
  for (const auto& m : j["messages"]) ids.push_back(m["id"].get<std::string>());
  return ids;
}

gc::test::reply send_batch(sim_fixture& f, const std::string& tok, const std::vector<std::string>& targets,
                           const std::string& path = "/batch/gmail/v1") {
  std::vector<gc::sim::batch_part> parts;
  for (size_t i = 0; i < targets.size(); ++i)
    parts.push_back({"item" + std::to_string(i + 1), "GET", targets[i], {}, ""});
  return f.call("POST", path, gc::sim::render_batch_request(parts, "batch_req_boundary"),
                {{"Content-Type", "multipart/mixed; boundary=batch_req_boundary"}, {"Authorization", "Bearer " + tok}});
}

std::vector<gc::sim::parsed_response_part> parts_of(const gc::test::reply& r) {
  auto p = gc::sim::parse_batch_response(r.headers.at("content-type"), r.body);
  REQUIRE(p.ok());
  return std::move(*p);
}

} // namespace

TEST_CASE("a batch runs each inner GET with the outer Authorization", "[sim][batch]") {
  sim_fixture f;
  auto tok = f.token_for(f.user(0));
  auto ids = message_ids(f, tok, 3);
  std::vector<std::string> targets;
  for (const auto& id : ids) targets.push_back("/gmail/v1/users/me/messages/" + id + "?format=full");
  targets.push_back("/gmail/v1/users/me/messages/00000000deadbeef");

  for (const char* path : {"/batch/gmail/v1", "/batch"}) {
    auto r = send_batch(f, tok, targets, path);
    REQUIRE(r.status == 200);
    auto ct = r.headers["content-type"];
    CHECK(ct.rfind("multipart/mixed; boundary=batch_", 0) == 0);
    CHECK(ct.find("batch_req_boundary") == std::string::npos);   // server-chosen
    auto parts = parts_of(r);
    REQUIRE(parts.size() == 4);
    for (size_t i = 0; i < 3; ++i) {
      CHECK(parts[i].content_id == "response-item" + std::to_string(i + 1));
      CHECK(parts[i].status == 200);
      CHECK(json::parse(parts[i].body)["id"] == ids[i]);
    }
    CHECK(parts[3].status == 404);
    CHECK(json::parse(parts[3].body)["error"]["errors"][0]["reason"] == "notFound");
  }
  auto stats = f.get("/__sim/stats").json_body();
  CHECK(stats["batch"]["batches"] == 2);
  CHECK(stats["batch"]["inner_calls"] == 8);
  // 1 list (5 units) + 8 inner gets (5 each, 404s included)
  CHECK(stats["quota"]["mailboxes"][f.user(0)]["units"] == 45);
}

TEST_CASE("the batch cap answers Google's 400 INVALID_ARGUMENT", "[sim][batch]") {
  gc::sim::sim_options o;
  o.batch.cap = 50;
  sim_fixture f{o};
  auto tok = f.token_for(f.user(0));
  std::vector<std::string> targets(51, "/gmail/v1/users/me/profile");
  auto r = send_batch(f, tok, targets);
  CHECK(r.status == 400);
  CHECK(r.json_body() == json{{"error",
                               {{"code", 400},
                                {"message", "Inner request count exceeds the limit. Received: 51, Limit: 50"},
                                {"status", "INVALID_ARGUMENT"}}}});
  targets.resize(50);
  CHECK(send_batch(f, tok, targets).status == 200);
}

TEST_CASE("inner batch calls share the in-flight cap: 12 calls -> 10 OK + 2 x 429", "[sim][batch]") {
  sim_fixture f;   // default cap 10
  auto tok = f.token_for(f.user(0));
  std::vector<std::string> targets(12, "/gmail/v1/users/me/profile");
  auto parts = parts_of(send_batch(f, tok, targets));
  REQUIRE(parts.size() == 12);
  int ok = 0, limited = 0;
  for (const auto& p : parts) {
    if (p.status == 200) ++ok;
    if (p.status == 429) {
      ++limited;
      CHECK(json::parse(p.body) ==
            json{{"error",
                  {{"code", 429},
                   {"message", "Too many concurrent requests for user"},
                   {"errors", json::array({{{"message", "Too many concurrent requests for user"},
                                            {"domain", "global"},
                                            {"reason", "rateLimitExceeded"}}})},
                   {"status", "RESOURCE_EXHAUSTED"}}}});
    }
  }
  CHECK(ok == 10);
  CHECK(limited == 2);
  // The hold is released when the batch ends: the next batch of 10 all pass.
  targets.resize(10);
  for (const auto& p : parts_of(send_batch(f, tok, targets))) CHECK(p.status == 200);
}

TEST_CASE("batch failures: bad outer token, full URLs, shuffled order, quota per inner call", "[sim][batch]") {
  gc::sim::sim_options o;
  o.batch.shuffle = true;
  o.quota.user_per_min = 3;
  sim_fixture f{o};
  auto tok = f.token_for(f.user(0));

  auto bad = send_batch(f, "ya29.bogus", {"/gmail/v1/users/me/profile"});
  CHECK(bad.status == 401);
  CHECK(bad.json_body()["error"]["errors"][0]["reason"] == "authError");

  std::vector<std::string> targets = {"/gmail/v1/users/me/profile", "https://gmail.googleapis.com/gmail/v1/users/me/profile",
                                      "/gmail/v1/users/me/profile", "/gmail/v1/users/me/profile",
                                      "/gmail/v1/users/me/profile"};
  auto parts = parts_of(send_batch(f, tok, targets));
  REQUIRE(parts.size() == 5);
  std::map<std::string, unsigned> by_id;
  for (const auto& p : parts) by_id[p.content_id] = p.status;
  CHECK(by_id.size() == 5);
  CHECK(by_id["response-item2"] == 400);
  int ok = 0, over = 0;
  for (const auto& [id, status] : by_id) {
    if (status == 200) ++ok;
    if (status == 403) ++over;
  }
  CHECK(ok == 3);     // 3 units per minute, 1 unit per getProfile
  CHECK(over == 1);
}

// POST /__sim/faults/next: scripted errors from the catalog (sim/error_catalog.hpp), answered
// with Google's exact bodies to the next N matching calls of a mailbox, then normal answers.
#include "endpoint_fixture.hpp"

#include "sim/batch_codec.hpp"
#include "sim/error_catalog.hpp"

#include <catch2/catch.hpp>

using gc::json;
using gc::test::sim_fixture;

namespace {

const std::map<std::string, std::string> json_ct = {{"Content-Type", "application/json"}};

gc::test::reply script(sim_fixture& f, const json& body) {
  return f.call("POST", "/__sim/faults/next", body.dump(), json_ct);
}

} // namespace

TEST_CASE("every Gmail catalog entry is answered once, with Google's body, then the call succeeds",
          "[sim][endpoint][control][catalog]") {
  sim_fixture f;
  auto tok = f.token_for(f.user(0));
  auto catalog = f.get("/__sim/faults/catalog").json_body();
  REQUIRE(catalog.size() == gc::sim::error_catalog().size());
  int gmail_entries = 0;
  for (const auto& e : catalog) {
    if (e["endpoint"] != "gmail") continue;
    ++gmail_entries;
    const auto name = e["name"].get<std::string>();
    INFO(name);
    REQUIRE(script(f, {{"error", name}, {"mailbox", f.user(0)}, {"retry_at", "2030-01-02T03:04:05.678Z"}})
                .status == 200);
    auto r = f.get("/gmail/v1/users/me/profile", tok);
    CHECK(r.status == e["http"].get<unsigned>());
    auto body = r.json_body();
    if (name == "bad_gateway_html") {
      CHECK(r.headers["content-type"] == "text/html; charset=UTF-8");
      CHECK(body.is_discarded());
    } else {
      REQUIRE(body.is_object());
      const auto& err = body["error"];
      CHECK(err["code"] == e["http"]);
      CHECK(err["status"] == e["status"]);
      auto message = e["message"].get<std::string>();
      if (name == "delegation_denied") message = "Delegation denied for " + f.user(0);
      if (name == "user_rate_retry_after")
        message = "User-rate limit exceeded.  Retry after 2030-01-02T03:04:05.678Z";
      CHECK(err["message"] == message);
      if (e["reason"] == "") {
        CHECK_FALSE(err.contains("errors"));                  // status-only shape
      } else {
        REQUIRE(err["errors"].size() == 1);
        CHECK(err["errors"][0]["reason"] == e["reason"]);
        CHECK(err["errors"][0]["domain"] == e["domain"]);
      }
    }
    CHECK(f.get("/gmail/v1/users/me/profile", tok).status == 200);   // consumed
  }
  CHECK(gmail_entries >= 20);
  CHECK(f.get("/__sim/stats").json_body()["faults"]["scripted_served"] == gmail_entries);
}

TEST_CASE("scripted errors match mailbox, method and count, batch parts and whole batches",
          "[sim][endpoint][control][catalog]") {
  sim_fixture f;
  auto tok0 = f.token_for(f.user(0));
  auto tok1 = f.token_for(f.user(1));

  SECTION("only the named mailbox, exactly count calls") {
    REQUIRE(script(f, {{"error", "daily_limit"}, {"mailbox", f.user(0)}, {"count", 2}}).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok1).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 403);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 403);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 200);
  }
  SECTION("a method narrows the script; an empty mailbox matches any") {
    REQUIRE(script(f, {{"error", "not_found"}, {"method", "users.messages.list"}}).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok1).status == 200);
    CHECK(f.get("/gmail/v1/users/me/messages", tok1).status == 404);
    CHECK(f.get("/gmail/v1/users/me/messages", tok0).status == 200);
  }
  SECTION("scripts queue in order; clear drops the rest") {
    REQUIRE(script(f, {{"error", "backend_error"}, {"mailbox", f.user(0)}}).status == 200);
    REQUIRE(script(f, {{"error", "bad_gateway"}, {"mailbox", f.user(0)}}).status == 200);
    REQUIRE(script(f, {{"error", "gateway_timeout"}, {"mailbox", f.user(0)}}).status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 500);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 502);
    CHECK(f.get("/__sim/stats").json_body()["faults"]["scripted"].size() == 1);
    REQUIRE(f.call("POST", "/__sim/faults/clear").status == 200);
    CHECK(f.get("/gmail/v1/users/me/profile", tok0).status == 200);
  }
  SECTION("an inner batch part gets the error; method batch fails the whole batch") {
    auto list = f.get("/gmail/v1/users/me/messages?maxResults=2", tok0).json_body();
    std::vector<gc::sim::batch_part> parts;
    for (const auto& m : list["messages"])
      parts.push_back({"item" + std::to_string(parts.size() + 1), "GET",
                       "/gmail/v1/users/me/messages/" + m["id"].get<std::string>(), {}, ""});
    REQUIRE(parts.size() == 2);
    auto send = [&] {
      return f.call("POST", "/batch/gmail/v1", gc::sim::render_batch_request(parts, "b1"),
                    {{"Content-Type", "multipart/mixed; boundary=b1"}, {"Authorization", "Bearer " + tok0}});
    };
    REQUIRE(script(f, {{"error", "too_many_concurrent"}, {"mailbox", f.user(0)}, {"method", "users.messages.get"}})
                .status == 200);
    auto r = send();
    REQUIRE(r.status == 200);
    auto got = gc::sim::parse_batch_response(r.headers.at("content-type"), r.body);
    REQUIRE(got.ok());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0].status == 429);
    CHECK(json::parse((*got)[0].body)["error"]["message"] == "Too many concurrent requests for user");
    CHECK((*got)[1].status == 200);

    REQUIRE(script(f, {{"error", "service_unavailable"}, {"mailbox", f.user(0)}, {"method", "batch"}}).status == 200);
    auto whole = send();
    CHECK(whole.status == 503);
    CHECK(whole.json_body()["error"]["errors"][0]["reason"] == "backendError");
    CHECK(send().status == 200);
  }
  SECTION("token_* entries answer /token for the grant's subject") {
    REQUIRE(script(f, {{"error", "token_unauthorized_client_legacy"}, {"mailbox", f.user(0)}}).status == 200);
    const auto readonly = std::string{"https://www.googleapis.com/auth/gmail.readonly"};
    CHECK(f.jwt_grant(f.assertion(f.user(1), readonly)).status == 200);
    auto r = f.jwt_grant(f.assertion(f.user(0), readonly));
    CHECK(r.status == 401);
    CHECK(r.json_body() == json{{"error", "unauthorized_client"},
                                {"error_description", "Unauthorized client or scope in request."}});
    CHECK(f.jwt_grant(f.assertion(f.user(0), readonly)).status == 200);
  }
  SECTION("bad scripts are refused") {
    CHECK(script(f, {{"error", "no_such_error"}}).status == 400);
    CHECK(script(f, {{"error", "backend_error"}, {"method", "users.nothing"}}).status == 400);
    CHECK(script(f, {{"error", "token_internal_failure"}, {"method", "users.getProfile"}}).status == 400);
    CHECK(script(f, {{"error", "backend_error"}, {"count", 0}}).status == 400);
    CHECK(script(f, {{"error", "user_rate_retry_after"}, {"retry_at", "soon"}}).status == 400);
  }
}

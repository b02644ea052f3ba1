// The account routes of issue 5 against the real `gmail-capture serve` and `gmail-capture sim`:
// roles, the integration gate, bad input, enroll (idempotent) -> run-now -> status, and
// enroll-all over the seeded CRM's users.
#include "serve_harness.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace gc::test;
using gc::json;

namespace {

const std::string admin_pw = "admin-password-123";
const std::string member_pw = "member-password-123";

// Every write route of this issue, with a body that would be valid.
struct write_route {
  std::string target;
  json body;
};
std::vector<write_route> write_routes(const std::string& mailbox) {
  return {{"/api/email/accounts/enroll", {{"email", mailbox}}},
          {"/api/email/accounts/enroll-all", json::object()},
          {"/api/email/accounts/1/pause", json::object()},
          {"/api/email/accounts/1/resume", json::object()},
          {"/api/email/sync/run-now", json::object()},
          {"/api/email/rematch", {{"since", "2020-01-01"}}}};
}

// A 4xx error body names the parameter and leaks nothing of the store.
void check_error(const http_reply& r, unsigned status, const std::string& names) {
  INFO(r.body);
  CHECK(r.status == status);
  auto j = json::parse(r.body, nullptr, false);
  REQUIRE(!j.is_discarded());
  auto message = j["error"]["message"].get<std::string>();
  CHECK(message.find(names) != std::string::npos);
  for (const char* leak : {"SQL", "sqlite", "SELECT", "constraint"}) CHECK(r.body.find(leak) == std::string::npos);
}

} // namespace

TEST_CASE("account and sync routes: 503 while the integration is off", "[api][accounts]") {
  temp_dir dir;
  std::map<std::string, std::string> env{
      {"CRM_DB_PATH", dir.file("crm.db")}, {"CRM_DATA_DIR", dir.file("data")}, {"CRM_HTTP_ADDR", "127.0.0.1:0"}};
  migrate(env);
  add_user(env, "ada@fund.example", "admin", admin_pw);
  serve_process svc{env};
  auto token = svc.login("ada@fund.example", admin_pw);
  for (const auto& w : write_routes("ada@fund.example")) {
    auto r = svc.post(w.target, token, w.body);
    INFO(w.target << " -> " << r.body);
    CHECK(r.status == 503);
    CHECK(json::parse(r.body)["error"]["code"] == "gmail_disabled");
  }
  auto st = svc.status(token);  // the health check still answers
  CHECK(st["enabled"] == false);
  CHECK(st["quota"].is_null());
}

TEST_CASE("account and sync routes: 401 without a token, 403 for members, 400 naming the bad parameter",
          "[api][accounts]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=20,seed=3"};
  auto env = service_env(dir, sim);
  migrate(env);
  add_user(env, sim.mailboxes[0], "admin", admin_pw);
  add_user(env, "max@" + sim.domain, "member", member_pw);
  serve_process svc{env};
  auto admin = svc.login(sim.mailboxes[0], admin_pw);
  auto member = svc.login("max@" + sim.domain, member_pw);

  for (const auto& w : write_routes(sim.mailboxes[0])) {
    INFO(w.target);
    CHECK(svc.post(w.target, "", w.body).status == 401);
    CHECK(svc.post(w.target, "not-a-token", w.body).status == 401);
    CHECK(svc.post(w.target, member, w.body).status == 403);
  }
  CHECK(svc.call("GET", "/api/email/accounts", member).status == 200);  // reads are for members too
  CHECK(svc.call("GET", "/api/email/accounts/enroll", admin).status == 405);

  const std::string enroll = "/api/email/accounts/enroll";
  check_error(svc.call("POST", enroll, admin, "{not json"), 400, "JSON");
  check_error(svc.post(enroll, admin, json::object()), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", 42}}), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", ""}}), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", "not an address"}}), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", "a@b@" + sim.domain}}), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", "someone@elsewhere.example"}}), 400, "'email'");
  check_error(svc.post(enroll, admin, {{"email", "someone@sub." + sim.domain}}), 400, "'email'");

  for (const char* bad : {"abc", "0", "-1", "1e3", "+1", "99999999999999999999999"}) {
    INFO(bad);
    check_error(svc.post(std::string{"/api/email/accounts/"} + bad + "/pause", admin, json::object()), 400, "id");
    check_error(svc.post(std::string{"/api/email/accounts/"} + bad + "/resume", admin, json::object()), 400, "id");
  }
  check_error(svc.post("/api/email/accounts/424242/pause", admin, json::object()), 404, "424242");
  check_error(svc.post("/api/email/accounts/424242/resume", admin, json::object()), 404, "424242");

  const std::string run_now = "/api/email/sync/run-now";
  check_error(svc.call("POST", run_now, admin, "[1]"), 400, "JSON object");
  for (const json& bad : {json("7"), json(-3), json(0), json(1.5), json::array()})
    check_error(svc.post(run_now, admin, {{"account_id", bad}}), 400, "'account_id'");
  check_error(svc.post(run_now, admin, {{"account_id", 424242}}), 404, "424242");

  const std::string rematch = "/api/email/rematch";
  for (const json& bad : {json("yesterday"), json("2026-13-01"), json("2026-02-30T10:00Z"), json(20260101),
                          json("2026-01-01T25:00:00Z"), json("")})
    check_error(svc.post(rematch, admin, {{"since", bad}}), 400, "'since'");
  check_error(svc.call("POST", rematch, admin, "{\"since\":"), 400, "JSON");

  // Nothing above enrolled anything or started a run.
  CHECK(svc.status(admin)["accounts"].empty());
  CHECK(db_count(env["CRM_DB_PATH"], "SELECT count(*) FROM email_sync_runs") == 0);
}

TEST_CASE("enroll is idempotent, run-now syncs, status shows the mailbox reach incremental", "[api][accounts][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=60,seed=9"};
  auto env = service_env(dir, sim);
  migrate(env);
  add_user(env, sim.mailboxes[0], "admin", admin_pw);
  serve_process svc{env};
  auto token = svc.login(sim.mailboxes[0], admin_pw);
  const auto mailbox = sim.mailboxes[1];

  auto first = svc.post("/api/email/accounts/enroll", token, {{"email", mailbox}});
  INFO(first.body);
  REQUIRE(first.status == 201);
  auto acc = json::parse(first.body);
  CHECK(acc["created"] == true);
  CHECK(acc["account"]["email"] == mailbox);
  CHECK(acc["account"]["sync_enabled"] == true);
  const auto id = acc["account"]["id"].get<int64_t>();

  std::string shouted = mailbox;
  for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& again : {mailbox, " " + shouted + " "}) {
    auto r = svc.post("/api/email/accounts/enroll", token, {{"email", again}});
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(json::parse(r.body)["created"] == false);
    CHECK(json::parse(r.body)["account"]["id"] == id);
  }
  CHECK(db_count(env["CRM_DB_PATH"], "SELECT count(*) FROM email_accounts") == 1);

  auto run = svc.post("/api/email/sync/run-now", token, {{"account_id", id}});
  INFO(run.body);
  REQUIRE(run.status == 202);
  CHECK(json::parse(run.body)["queued"][0]["id"] == id);
  CHECK(svc.call("POST", "/api/email/sync/run-now", token).status == 202);  // empty body: all

  const auto want = truth_ids(sim, mailbox);
  json row;
  REQUIRE(eventually([&] {
    row = account_of(svc.status(token), mailbox);
    return row.value("state", "") == "incremental" && sighted_ids(env["CRM_DB_PATH"], mailbox) == want;
  }));
  INFO(row.dump());
  CHECK(row["backfill"]["done"].get<int64_t>() > 0);
  CHECK(row["last_success_at"].is_string());
  REQUIRE(row["lag_seconds"].is_number_integer());
  CHECK(row["lag_seconds"].get<int64_t>() >= 0);
  CHECK(row["lag_seconds"].get<int64_t>() < 600);
  CHECK(row["quota_units_last_hour"].get<int64_t>() > 0);
  CHECK(row["last_error"].is_null());
  auto st = svc.status(token);
  CHECK(st["counts"]["emails"].get<int64_t>() > 0);
  CHECK(st["quota"]["project_units_last_hour"].get<int64_t>() >= row["quota_units_last_hour"].get<int64_t>());
  bool ok_run = false;
  for (const auto& r : st["sync_runs"])
    if (r["account_id"] == id && r["status"] == "ok" && r["messages_stored"].get<int64_t>() > 0) ok_run = true;
  CHECK(ok_run);
  auto listed = json::parse(svc.call("GET", "/api/email/accounts", token).body)["accounts"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["state"] == "incremental");
}

TEST_CASE("enroll-all enrols exactly the active users of the Workspace domain", "[api][accounts][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=3,messages=30,seed=4"};
  auto env = service_env(dir, sim);
  migrate(env);
  auto seed = sim.get("/__sim/crm-seed");
  seed_crm(env["CRM_DB_PATH"], seed);
  // The CRM's users: the team (the operator is the first), one who left, outsiders.
  std::set<std::string> want;
  const auto& team = seed["team"];
  REQUIRE(team.size() >= 2);
  add_user(env, team[0]["email"], "admin", admin_pw);
  want.insert(team[0]["email"].get<std::string>());
  {
    gc::store::connection c{env["CRM_DB_PATH"]};
    for (size_t i = 1; i < team.size(); ++i) {
      c.prepare("INSERT INTO users (username, email, name) VALUES (?1, ?1, ?2)")
          .bind(1, team[i]["email"].get<std::string>())
          .bind(2, team[i]["name"].get<std::string>())
          .run();
      want.insert(team[i]["email"].get<std::string>());
    }
    c.exec("INSERT INTO users (username, email, is_active) VALUES ('gone', 'gone@" + sim.domain + "', 0)");
    c.exec("INSERT INTO users (username, email) VALUES ('lp', 'lp@elsewhere.example')");
    c.exec("INSERT INTO users (username, email) VALUES ('Ops@" + sim.domain + "', NULL)");  // username only
  }
  want.insert("ops@" + sim.domain);
  serve_process svc{env};
  auto token = svc.login(team[0]["email"], admin_pw);

  auto one = svc.post("/api/email/accounts/enroll", token, {{"email", team[1]["email"]}});
  REQUIRE(one.status == 201);
  auto r = svc.post("/api/email/accounts/enroll-all", token, json::object());
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  CHECK(body["domain"] == sim.domain);
  std::set<std::string> enrolled, already;
  for (const auto& a : body["enrolled"]) enrolled.insert(a["email"].get<std::string>());
  for (const auto& a : body["already"]) already.insert(a["email"].get<std::string>());
  CHECK(already == std::set<std::string>{team[1]["email"].get<std::string>()});
  auto all = enrolled;
  all.insert(already.begin(), already.end());
  CHECK(all == want);
  CHECK(enrolled.size() + already.size() == want.size());
  CHECK(db_count(env["CRM_DB_PATH"], "SELECT count(*) FROM email_accounts") == static_cast<int64_t>(want.size()));

  auto again = json::parse(svc.post("/api/email/accounts/enroll-all", token, json::object()).body);
  CHECK(again["enrolled"].empty());
  CHECK(again["already"].size() == want.size());

  // Every team mailbox syncs (its syncer started with the enrolment).
  REQUIRE(eventually([&] {
    auto st = svc.status(token);
    for (const auto& t : team)
      if (account_of(st, t["email"]).value("state", "") != "incremental") return false;
    return true;
  }));
}

// Pause/resume and run-now against live mail, and rematch after the investors arrive, with
// the real `gmail-capture serve` and `gmail-capture sim`.
#include "serve_harness.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <csignal>

using namespace gc::test;
using gc::json;

namespace {

const std::string admin_pw = "admin-password-123";

int64_t runs_of(const std::string& db, const std::string& mailbox, const std::string& status_filter = "") {
  return db_count(db,
                  "SELECT count(*) FROM email_sync_runs r JOIN email_accounts a ON a.id = r.account_id "
                  "WHERE a.email = ?1" + status_filter,
                  mailbox);
}

bool synced(const serve_process& svc, const std::string& token, const sim_process& sim, const std::string& mailbox) {
  return account_of(svc.status(token), mailbox).value("state", "") == "incremental" &&
         sighted_ids(svc.env.at("CRM_DB_PATH"), mailbox) == truth_ids(sim, mailbox);
}

int64_t enroll(const serve_process& svc, const std::string& token, const std::string& mailbox) {
  auto r = svc.post("/api/email/accounts/enroll", token, {{"email", mailbox}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  return json::parse(r.body)["account"]["id"].get<int64_t>();
}

} // namespace

TEST_CASE("pause stops a mailbox's sync, resume and run-now catch up", "[api][sync][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=40,seed=21"};
  auto env = service_env(dir, sim);
  const auto db = env["CRM_DB_PATH"];
  migrate(env);
  const auto a = sim.mailboxes[0], b = sim.mailboxes[1];
  add_user(env, a, "admin", admin_pw);
  serve_process svc{env};
  auto token = svc.login(a, admin_pw);
  const auto id_a = enroll(svc, token, a);
  const auto id_b = enroll(svc, token, b);
  REQUIRE(eventually([&] { return synced(svc, token, sim, a) && synced(svc, token, sim, b); }));

  auto paused = svc.post("/api/email/accounts/" + std::to_string(id_a) + "/pause", token, json::object());
  INFO(paused.body);
  REQUIRE(paused.status == 200);
  CHECK(json::parse(paused.body)["account"]["state"] == "paused");
  CHECK(json::parse(paused.body)["account"]["sync_enabled"] == false);
  CHECK(svc.post("/api/email/accounts/" + std::to_string(id_a) + "/pause", token, json::object()).status == 200);
  REQUIRE(eventually([&] { return runs_of(db, a, " AND r.status = 'running'") == 0; }));
  const auto runs_a = runs_of(db, a);
  const auto sighted_a = sighted_ids(db, a);

  // Live mail until mailbox A has some the service has not seen.
  auto has_new = [&] {
    auto t = truth_ids(sim, a);
    return std::any_of(t.begin(), t.end(), [&](const std::string& id) { return !sighted_a.count(id); });
  };
  for (int i = 0; i < 50 && !has_new(); ++i) sim.post("/__sim/tick?n=3");
  REQUIRE(has_new());

  auto refused = svc.post("/api/email/sync/run-now", token, {{"account_id", id_a}});
  CHECK(refused.status == 409);
  CHECK(json::parse(refused.body)["error"]["code"] == "account_paused");
  const auto runs_b = runs_of(db, b, " AND r.status = 'ok'");
  auto all = svc.call("POST", "/api/email/sync/run-now", token);
  INFO(all.body);
  REQUIRE(all.status == 202);
  auto all_body = json::parse(all.body);
  REQUIRE(all_body["queued"].size() == 1);
  CHECK(all_body["queued"][0]["id"] == id_b);
  REQUIRE(all_body["paused"].size() == 1);
  CHECK(all_body["paused"][0]["id"] == id_a);
  // B's cycle ran (and caught up); A ran nothing and captured nothing new.
  REQUIRE(eventually([&] { return runs_of(db, b, " AND r.status = 'ok'") > runs_b && synced(svc, token, sim, b); }));
  CHECK(runs_of(db, a) == runs_a);
  CHECK(sighted_ids(db, a) == sighted_a);
  CHECK(account_of(svc.status(token), a)["state"] == "paused");

  auto resumed = svc.post("/api/email/accounts/" + std::to_string(id_a) + "/resume", token, json::object());
  INFO(resumed.body);
  REQUIRE(resumed.status == 200);
  CHECK(json::parse(resumed.body)["account"]["sync_enabled"] == true);
  CHECK(json::parse(resumed.body)["account"]["state"] != "paused");
  REQUIRE(svc.post("/api/email/sync/run-now", token, {{"account_id", id_a}}).status == 202);
  REQUIRE(eventually([&] { return synced(svc, token, sim, a); }));
  CHECK(runs_of(db, a) > runs_a);
}

TEST_CASE("rematch: a bad since is a 400, a good one matches mail once investors exist", "[api][rematch][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=80,seed=13"};
  auto env = service_env(dir, sim);
  const auto db = env["CRM_DB_PATH"];
  migrate(env);
  add_user(env, sim.mailboxes[0], "admin", admin_pw);
  serve_process svc{env};
  auto token = svc.login(sim.mailboxes[0], admin_pw);
  enroll(svc, token, sim.mailboxes[0]);
  REQUIRE(eventually([&] { return synced(svc, token, sim, sim.mailboxes[0]); }));
  CHECK(svc.status(token)["counts"]["matched"] == 0);  // the CRM knows no investor yet
  const auto emails = db_count(db, "SELECT count(*) FROM emails");
  REQUIRE(emails > 0);

  auto bad = svc.post("/api/email/rematch", token, {{"since", "last tuesday"}});
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["error"]["message"].get<std::string>().find("'since'") != std::string::npos);

  seed_crm(db, sim.get("/__sim/crm-seed"));
  auto r = svc.post("/api/email/rematch", token, {{"since", "2000-01-01T00:00:00+02:00"}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto out = json::parse(r.body);
  CHECK(out["status"] == "done");
  CHECK(out["since"] == "1999-12-31T22:00:00.000Z");
  CHECK(out["scanned"] == emails);
  CHECK(out["newly_matched"].get<int64_t>() > 0);
  CHECK(out["links_added"].get<int64_t>() >= out["newly_matched"].get<int64_t>());
  CHECK(db_count(db, "SELECT count(*) FROM emails WHERE is_matched = 1") == out["newly_matched"].get<int64_t>());
  CHECK(db_count(db, "SELECT count(*) FROM email_investor_links") == out["links_added"].get<int64_t>());
  // Mail stored metadata-only while unmatched gets its body now (fetched in the background
  // through a live sighting; mail only in trash or spam is left as it is).
  CHECK(out["bodies_to_fetch"].get<int64_t>() > 0);
  CHECK(eventually([&] {
    return db_count(db, "SELECT count(*) FROM emails e WHERE e.is_matched = 1 AND e.has_body = 0 AND EXISTS "
                        "(SELECT 1 FROM email_account_messages m WHERE m.email_id = e.id AND m.deleted_at IS NULL)") == 0;
  }));

  auto st = svc.status(token);
  CHECK(st["counts"]["matched"] == out["newly_matched"]);
  bool recorded = false;
  for (const auto& run : st["sync_runs"])
    if (run["kind"] == "rematch" && run["id"] == out["run_id"])
      recorded = run["status"] == "ok" && run["messages_seen"] == emails && run["messages_stored"] == out["newly_matched"];
  CHECK(recorded);

  // Idempotent; a future since scans nothing; no body means all mail.
  auto again = json::parse(svc.post("/api/email/rematch", token, {{"since", "2000-01-01"}}).body);
  CHECK(again["newly_matched"] == 0);
  CHECK(again["links_added"] == 0);
  CHECK(json::parse(svc.post("/api/email/rematch", token, {{"since", "2199-01-01"}}).body)["scanned"] == 0);
  auto everything = svc.call("POST", "/api/email/rematch", token);
  REQUIRE(everything.status == 200);
  CHECK(json::parse(everything.body)["scanned"] == emails);
}

TEST_CASE("status stays fast and answers while Google is unreachable", "[api][status][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=1,messages=10,seed=5"};
  auto env = service_env(dir, sim);
  env["CRM_GMAIL_RETRY_MAX"] = "1";
  migrate(env);
  const auto mailbox = sim.mailboxes[0];
  add_user(env, mailbox, "admin", admin_pw);
  serve_process svc{env};
  auto token = svc.login(mailbox, admin_pw);
  const auto id = enroll(svc, token, mailbox);
  REQUIRE(eventually([&] { return synced(svc, token, sim, mailbox); }));

  sim.proc->signal(SIGKILL);  // Google is gone
  REQUIRE(sim.proc->wait());
  REQUIRE(svc.post("/api/email/sync/run-now", token, {{"account_id", id}}).status == 202);
  json row;
  REQUIRE(eventually([&] {
    auto t0 = std::chrono::steady_clock::now();
    row = account_of(svc.status(token), mailbox);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    return row["last_error"].is_string();
  }));
  INFO(row.dump());
  CHECK(!row["last_error"].get<std::string>().empty());
  CHECK(row["last_error"].get<std::string>().find("Bearer") == std::string::npos);
  CHECK(row["state"] == "incremental");       // the cursor is kept
  CHECK(row["lag_seconds"].is_number_integer());
}

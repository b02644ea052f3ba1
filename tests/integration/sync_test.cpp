// Capture end to end: `gmail-capture sync --once` against `gmail-capture sim`, checked against
// the simulator's ground truth (every message stored exactly once per mailbox sighting and
// once as an email), then live changes, history expiry and injected faults.
#include "sim_harness.hpp"
#include "store/db.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <random>
#include <set>
#include <thread>

using namespace gc::test;
using gc::json;

namespace {

struct db_view {
  gc::store::connection c;
  explicit db_view(const std::string& path) : c(path, gc::store::open_mode::read_only) {}
  int64_t count(const std::string& sql) {
    auto st = c.prepare(sql);
    REQUIRE(st.step());
    return st.int64(0);
  }
  // gmail ids sighted in `mailbox` -> deleted?
  std::map<std::string, bool> sightings(const std::string& mailbox) {
    auto st = c.prepare(
        "SELECT m.gmail_message_id, m.deleted_at IS NOT NULL FROM email_account_messages m "
        "JOIN email_accounts a ON a.id = m.account_id "
        "WHERE a.email = ?1 AND m.deleted_reason IS NOT 'deleted'");
    st.bind(1, mailbox);
    std::map<std::string, bool> out;
    while (st.step()) out[st.text(0)] = st.int64(1) != 0;
    return out;
  }
};

// Every capturable truth message is sighted exactly once in its mailbox with the right
// soft-delete state; nothing else is; one emails row per distinct mail.
void check_complete(const std::string& db, const std::vector<json>& truth) {
  db_view v{db};
  std::map<std::string, std::map<std::string, bool>> want;  // mailbox -> id -> soft deleted
  std::set<std::string> mails;
  for (const auto& t : truth) {
    if (!t.value("capture", false)) continue;
    want[t["mailbox"]][t["id"]] = t.value("softDeleted", false);
    // one email per Message-ID; mail without one is identified by the simulator's mailKey
    auto mid = t.value("messageId", json{});
    mails.insert(mid.is_string() ? "id:" + mid.get<std::string>() : "key:" + t.value("mailKey", std::string{}));
  }
  int64_t total = 0;
  for (const auto& [mailbox, ids] : want) {
    auto got = v.sightings(mailbox);
    INFO("mailbox " << mailbox);
    CHECK(got.size() == ids.size());
    for (const auto& [id, deleted] : ids) {
      INFO("message " << id);
      REQUIRE(got.count(id) == 1);
      CHECK(got[id] == deleted);
    }
    total += static_cast<int64_t>(ids.size());
  }
  CHECK(v.count("SELECT count(*) FROM email_account_messages WHERE deleted_reason IS NOT 'deleted'") == total);
  // Permanently deleted mail keeps its row (its sightings say 'deleted'); every other email
  // is one of the truth's mails.
  CHECK(v.count("SELECT count(*) FROM emails e WHERE EXISTS (SELECT 1 FROM email_account_messages m "
                "WHERE m.email_id = e.id AND m.deleted_reason IS NOT 'deleted')") ==
        static_cast<int64_t>(mails.size()));
  CHECK(v.count("SELECT count(*) FROM email_skipped_messages") == 0);
}

std::vector<std::string> sync_args(const std::string& mailbox) { return {"sync", "--once", "--account", mailbox}; }

void sync_all(const sim_process& sim, const std::map<std::string, std::string>& env) {
  for (const auto& mb : sim.mailboxes) {
    auto r = gc_run(sync_args(mb), env);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
  }
}

} // namespace

TEST_CASE("full sync of a multi-mailbox workspace stores every message exactly once", "[sync][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=3,messages=150,seed=7"};
  auto env = service_env(dir, sim);
  REQUIRE(gc_run({"migrate"}, env).code == 0);
  seed_crm(env["CRM_DB_PATH"], sim.get("/__sim/crm-seed"));
  sync_all(sim, env);
  check_complete(env["CRM_DB_PATH"], sim.truth());
  {
    db_view v{env["CRM_DB_PATH"]};
    CHECK(v.count("SELECT count(*) FROM emails WHERE is_matched = 1") > 0);
    // unmatched mail is metadata-only, matched mail has its body
    CHECK(v.count("SELECT count(*) FROM emails WHERE is_matched = 0 AND has_body = 1") == 0);
    CHECK(v.count("SELECT count(*) FROM emails WHERE is_matched = 1 AND has_body = 0") == 0);
    CHECK(v.count("SELECT count(*) FROM email_accounts WHERE state = 'incremental' AND history_id IS NOT NULL") ==
          static_cast<int64_t>(sim.mailboxes.size()));
    CHECK(v.count("SELECT count(*) FROM email_sync_runs WHERE status = 'ok'") == static_cast<int64_t>(sim.mailboxes.size()));
  }

  SECTION("live adds, deletes and label changes arrive through incremental sync") {
    sim.post("/__sim/tick?n=40");
    sync_all(sim, env);
    check_complete(env["CRM_DB_PATH"], sim.truth());
    db_view v{env["CRM_DB_PATH"]};
    CHECK(v.count("SELECT count(*) FROM email_sync_runs WHERE kind = 'incremental' AND status = 'ok'") ==
          static_cast<int64_t>(sim.mailboxes.size()));
  }
  SECTION("a history 404 heals by itself through a full sync") {
    sim.post("/__sim/tick?n=10");
    sim.post("/__sim/expire-history");
    sync_all(sim, env);
    check_complete(env["CRM_DB_PATH"], sim.truth());
  }
}

TEST_CASE("injected 500s, 503s and dropped connections lose nothing", "[sync][e2e][faults]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=120,seed=11",
                  {"--fail-500", "0.08", "--fail-503", "0.05", "--drop", "0.04"}};
  auto env = service_env(dir, sim);
  env["CRM_GMAIL_RETRY_MAX"] = "30";
  REQUIRE(gc_run({"migrate"}, env).code == 0);
  // A cycle may end with an error (the cursor held); the next cycle continues. Three rounds
  // are plenty at these rates.
  for (int round = 0; round < 3; ++round)
    for (const auto& mb : sim.mailboxes) gc_run(sync_args(mb), env);
  sim.post("/__sim/faults", {{"fail_500", 0.0}, {"fail_503", 0.0}, {"drop", 0.0}});
  sync_all(sim, env);
  check_complete(env["CRM_DB_PATH"], sim.truth());
}

TEST_CASE("SIGKILL at random moments of a backfill loses and duplicates nothing", "[sync][e2e][crash]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=2,messages=300,seed=5"};
  auto env = service_env(dir, sim);
  env["CRM_GMAIL_BACKFILL_PAGE_SIZE"] = "15";  // many page commits to land between
  env["CRM_GMAIL_RATE_UNITS_SEC"] = "600";     // slow enough that a kill lands mid-backfill
  REQUIRE(gc_run({"migrate"}, env).code == 0);
  const auto& mailbox = sim.mailboxes.front();
  std::mt19937 rng{20261121};  // deterministic kill times
  int killed_mid_backfill = 0;
  for (int round = 0; round < 8; ++round) {
    child_process p{{GC_BINARY, "sync", "--once", "--account", mailbox}, env};
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 600));
    p.signal(SIGKILL);
    auto code = p.wait();
    REQUIRE(code);
    if (*code == 128 + SIGKILL) ++killed_mid_backfill;
    // The cursor never runs ahead of committed data: every id counted as done by the page
    // cursor is stored (or recorded as skipped).
    db_view v{env["CRM_DB_PATH"]};
    auto done = v.count("SELECT COALESCE(max(backfill_done), 0) FROM email_accounts");
    auto have = v.count("SELECT count(*) FROM email_account_messages") +
                v.count("SELECT count(*) FROM email_skipped_messages");
    CHECK(done <= have);
    auto state = v.count("SELECT count(*) FROM email_accounts WHERE state = 'incremental'");
    if (state == 1) break;  // finished before a kill landed
  }
  CHECK(killed_mid_backfill > 0);
  auto r = gc_run(sync_args(mailbox), env);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  std::vector<json> mine;
  for (auto& t : sim.truth())
    if (t["mailbox"] == mailbox) mine.push_back(t);
  check_complete(env["CRM_DB_PATH"], mine);
}

TEST_CASE("SIGTERM during a backfill under serve holds the cursor, nothing is lost", "[sync][e2e][crash]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=1,messages=300,seed=9"};
  auto env = service_env(dir, sim);
  env["CRM_GMAIL_BACKFILL_PAGE_SIZE"] = "40";
  env["CRM_GMAIL_RATE_UNITS_SEC"] = "100";  // a stop lands mid-page, between batches
  env["CRM_HTTP_ADDR"] = "127.0.0.1:0";
  REQUIRE(gc_run({"migrate"}, env).code == 0);
  const auto& mailbox = sim.mailboxes.front();
  {
    gc::store::connection c{env["CRM_DB_PATH"]};
    c.prepare("INSERT INTO email_accounts (email) VALUES (?1)").bind(1, mailbox).run();
  }
  std::mt19937 rng{20261122};
  int stopped_mid_backfill = 0;
  for (int round = 0; round < 6; ++round) {
    child_process p{{GC_BINARY, "serve"}, env};
    REQUIRE(p.wait_for_stdout_line("listening on"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 700));
    p.signal(SIGTERM);
    auto code = p.wait(std::chrono::seconds(60));
    REQUIRE(code);
    CHECK(*code == 0);
    db_view v{env["CRM_DB_PATH"]};
    auto done = v.count("SELECT COALESCE(max(backfill_done), 0) FROM email_accounts");
    auto have = v.count("SELECT count(*) FROM email_account_messages") +
                v.count("SELECT count(*) FROM email_skipped_messages");
    CHECK(done <= have);
    if (v.count("SELECT count(*) FROM email_accounts WHERE state = 'incremental'") == 1) break;
    ++stopped_mid_backfill;
  }
  CHECK(stopped_mid_backfill > 0);
  auto r = gc_run(sync_args(mailbox), env);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  std::vector<json> mine;
  for (auto& t : sim.truth())
    if (t["mailbox"] == mailbox) mine.push_back(t);
  check_complete(env["CRM_DB_PATH"], mine);
}

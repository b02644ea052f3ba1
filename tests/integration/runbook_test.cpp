// Seed 002 (the Gmail enablement runbook operators follow with curl), §3–§5, replayed with
// real HTTP against `gmail-capture serve` pointed at `gmail-capture sim`, and its §4 SQL run
// against the real SQLite file. Each step is the runbook's curl line; the comment quotes it.
#include "serve_harness.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

using namespace gc::test;
using gc::json;

namespace {

json half(const json& seed, bool first) {
  json out = seed;
  out["investors"] = json::array();
  out["contacts"] = first ? seed["contacts"] : json::array();
  const auto& all = seed["investors"];
  for (size_t i = 0; i < all.size(); ++i)
    if ((i < all.size() / 2) == first) out["investors"].push_back(all[i]);
  return out;
}

std::map<std::string, int64_t> links_by_kind(const std::string& db) {
  gc::store::connection c{db, gc::store::open_mode::read_only};
  auto st = c.prepare("SELECT match_kind, COUNT(*) FROM email_investor_links GROUP BY match_kind");
  std::map<std::string, int64_t> out;
  while (st.step()) out[st.text(0)] = st.int64(1);
  return out;
}

} // namespace

TEST_CASE("runbook (seed 002 §3–§5): smoke test one mailbox, verify, rematch, roll out to the domain",
          "[runbook][e2e]") {
  temp_dir dir;
  sim_process sim{dir, "mailboxes=3,messages=90,seed=2"};
  auto env = service_env(dir, sim);
  env["CRM_GMAIL_BACKFILL_PAGE_SIZE"] = "50";  // §3 tip: keep the first backfill small
  const auto db = env["CRM_DB_PATH"];
  migrate(env);
  // The CRM as the operator finds it: the team as users, half of the investor list so far.
  const auto seed = sim.get("/__sim/crm-seed");
  const auto& team = seed["team"];
  REQUIRE(team.size() == sim.mailboxes.size());
  const std::string you = team[0]["email"], pw = "operator-password-1";
  add_user(env, you, "admin", pw);
  {
    gc::store::connection c{db};
    for (size_t i = 1; i < team.size(); ++i)
      c.prepare("INSERT INTO users (username, email, name) VALUES (?1, ?1, ?2)")
          .bind(1, team[i]["email"].get<std::string>())
          .bind(2, team[i]["name"].get<std::string>())
          .run();
  }
  seed_crm(db, half(seed, true));
  serve_process svc{env};

  // §3  TOKEN=$(curl -sk $CRM/api/auth/login -H 'Content-Type: application/json' \
  //       -d '{"username":"<admin>","password":"<pw>"}' | python3 -c '...["token"]')
  const auto token = svc.login(you, pw);
  REQUIRE(!token.empty());

  // §3  curl -sk $CRM/api/email/status -H "Authorization: Bearer $TOKEN"     (integration alive?)
  auto alive = svc.status(token);
  CHECK(alive["enabled"] == true);
  CHECK(alive["auth_method"] == "dwd");
  CHECK(alive["workspace_domain"] == sim.domain);
  CHECK(alive["accounts"].empty());

  // §3  curl -sk $CRM/api/email/accounts/enroll -H "Authorization: Bearer $TOKEN" \
  //       -H 'Content-Type: application/json' -d '{"email":"you@ten31.xyz"}'
  auto enrolled = svc.call("POST", "/api/email/accounts/enroll", token, json{{"email", you}}.dump());
  INFO(enrolled.body);
  REQUIRE(enrolled.status == 201);
  const auto you_id = json::parse(enrolled.body)["account"]["id"].get<int64_t>();

  // §3  curl -sk $CRM/api/email/sync/run-now -X POST -H "Authorization: Bearer $TOKEN"
  auto run = svc.call("POST", "/api/email/sync/run-now", token);
  INFO(run.body);
  REQUIRE(run.status == 202);
  CHECK(json::parse(run.body)["queued"][0]["id"] == you_id);

  // ... wait: the operator watches status until the backfill is done.
  REQUIRE(eventually([&] {
    return account_of(svc.status(token), you).value("state", "") == "incremental" &&
           sighted_ids(db, you) == truth_ids(sim, you);
  }));

  // §4  SELECT kind, status, messages_seen, messages_stored, attachments_saved, error
  //       FROM email_sync_runs ORDER BY started_at DESC LIMIT 3;          (sync ran cleanly?)
  {
    gc::store::connection c{db, gc::store::open_mode::read_only};
    auto st = c.prepare("SELECT kind, status, messages_seen, messages_stored, attachments_saved, error "
                        "FROM email_sync_runs ORDER BY started_at DESC LIMIT 3");
    int rows = 0;
    bool full_ok = false;
    while (st.step()) {
      ++rows;
      INFO(st.text(0) << " " << st.text(1) << " " << st.opt_text(5).value_or(""));
      CHECK(st.text(1) != "error");
      CHECK(!st.opt_text(5));
      if (st.text(0) == "full" && st.text(1) == "ok" && st.int64(3) > 0) full_ok = true;
    }
    CHECK(rows >= 1);
    CHECK(full_ok);
  }
  // §4  SELECT COUNT(*) total, SUM(is_matched) matched FROM emails;
  const auto total = db_count(db, "SELECT COUNT(*) FROM emails");
  const auto matched = db_count(db, "SELECT coalesce(SUM(is_matched), 0) FROM emails");
  CHECK(total > 0);
  CHECK(matched > 0);
  CHECK(matched < total);
  // §4  SELECT match_kind, COUNT(*) FROM email_investor_links GROUP BY match_kind;
  auto kinds = links_by_kind(db);
  CHECK(kinds["exact"] > 0);
  for (const auto& [kind, n] : kinds) CHECK((kind == "exact" || kind == "domain"));

  // §4 via the API: GET /api/email/status (counts)
  auto counted = svc.status(token);
  CHECK(counted["counts"]["emails"] == total);
  CHECK(counted["counts"]["matched"] == matched);
  // §4 via the API: GET /api/email/threads?investor_id=<id> (matched threads for one investor)
  const auto investor_id = db_count(db, "SELECT investor_id FROM email_investor_links ORDER BY id LIMIT 1");
  auto threads = svc.call("GET", "/api/email/threads?investor_id=" + std::to_string(investor_id), token);
  INFO(threads.body);
  REQUIRE(threads.status == 200);
  auto threads_body = json::parse(threads.body);
  // Every thread holding live mail linked to that investor, newest first (first page of 50).
  const auto want_threads = db_count(db,
                             "SELECT count(DISTINCT e.thread_id) FROM emails e JOIN email_investor_links l "
                             "ON l.email_id = e.id WHERE l.investor_id = " + std::to_string(investor_id) +
                             " AND EXISTS (SELECT 1 FROM email_account_messages m WHERE m.email_id = e.id "
                             "AND m.deleted_at IS NULL)");
  REQUIRE(want_threads > 0);
  CHECK(static_cast<int64_t>(threads_body["threads"].size()) == std::min<int64_t>(want_threads, 50));
  CHECK(threads_body["next_cursor"].is_null() == (want_threads <= 50));
  std::string prev;
  for (const auto& t : threads_body["threads"]) {
    auto at = t["last_message_at"].is_string() ? t["last_message_at"].get<std::string>() : std::string{};
    if (!prev.empty()) CHECK(at <= prev);  // newest first
    prev = at;
  }
  // ... and one thread opened: its messages, each carrying the investor it was matched to.
  const auto first = threads_body["threads"][0]["id"].get<int64_t>();
  auto detail = svc.call("GET", "/api/email/threads/" + std::to_string(first), token);
  INFO(detail.body);
  REQUIRE(detail.status == 200);
  auto thread = json::parse(detail.body);
  REQUIRE(!thread["messages"].empty());
  bool linked = false;
  for (const auto& m : thread["messages"])
    for (const auto& inv : m["investors"]) linked = linked || inv["investor_id"] == investor_id;
  CHECK(linked);

  // §4  "If matching looks thin, run POST /api/email/rematch with {"since":"<ISO8601>"} after
  //      the investor list is populated."  The rest of the investors arrive, then:
  seed_crm(db, half(seed, false));
  auto rematch = svc.call("POST", "/api/email/rematch", token, json{{"since", "2000-01-01T00:00:00Z"}}.dump());
  INFO(rematch.body);
  REQUIRE(rematch.status == 200);
  auto rm = json::parse(rematch.body);
  CHECK(rm["scanned"] == total);
  CHECK(rm["newly_matched"].get<int64_t>() > 0);
  const auto matched_after = db_count(db, "SELECT coalesce(SUM(is_matched), 0) FROM emails");
  CHECK(matched_after == matched + rm["newly_matched"].get<int64_t>());
  CHECK(svc.status(token)["counts"]["matched"] == matched_after);

  // §5  curl -sk $CRM/api/email/accounts/enroll-all -X POST -H "Authorization: Bearer $TOKEN"
  auto all = svc.call("POST", "/api/email/accounts/enroll-all", token);
  INFO(all.body);
  REQUIRE(all.status == 200);
  auto all_body = json::parse(all.body);
  std::set<std::string> got, want;
  for (const auto& a : all_body["enrolled"]) got.insert(a["email"].get<std::string>());
  for (size_t i = 1; i < team.size(); ++i) want.insert(team[i]["email"].get<std::string>());
  CHECK(got == want);
  REQUIRE(all_body["already"].size() == 1);
  CHECK(all_body["already"][0]["email"] == you);

  // §5  curl -sk $CRM/api/email/sync/run-now -X POST -H "Authorization: Bearer $TOKEN"
  auto run_all = svc.call("POST", "/api/email/sync/run-now", token);
  INFO(run_all.body);
  REQUIRE(run_all.status == 202);
  CHECK(json::parse(run_all.body)["queued"].size() == team.size());
  REQUIRE(eventually([&] {
    auto st = svc.status(token);
    for (const auto& mb : sim.mailboxes)
      if (account_of(st, mb).value("state", "") != "incremental" || sighted_ids(db, mb) != truth_ids(sim, mb))
        return false;
    return true;
  }));
  auto final_status = svc.status(token);
  for (const auto& a : final_status["accounts"]) {
    INFO(a.dump());
    CHECK(a["last_error"].is_null());
    CHECK(a["lag_seconds"].is_number_integer());
  }
  CHECK(db_count(db, "SELECT count(DISTINCT account_id) FROM email_sync_runs WHERE status = 'ok'") ==
        static_cast<int64_t>(team.size()));
  CHECK(final_status["counts"]["emails"].get<int64_t>() >= total);
}

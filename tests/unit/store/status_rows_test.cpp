// status_repo's per-mailbox lag and last-hour quota, and email_accounts_repo::find_account.
#include "store/email_accounts_repo.hpp"
#include "store/migrations.hpp"
#include "store/status_repo.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

using gc::store::connection;

namespace {

struct status_db {
  gc::test::temp_dir dir;
  connection db{dir.file("crm.db")};
  status_db() { REQUIRE(gc::store::migrate(db).ok()); }
  // A finished run of `account` started `minutes_ago` minutes ago that spent `units`.
  void run(int64_t account, int minutes_ago, int64_t units) {
    db.prepare("INSERT INTO email_sync_runs (account_id, kind, status, started_at, quota_units) VALUES "
               "(?1, 'incremental', 'ok', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2), ?3)")
        .bind(1, account)
        .bind(2, "-" + std::to_string(minutes_ago) + " minutes")
        .bind(3, units)
        .run();
  }
};

} // namespace

TEST_CASE_METHOD(status_db, "status rows: lag since the last success, quota units of the last hour",
                 "[store][status]") {
  gc::store::email_accounts_repo accounts{db};
  auto synced = accounts.enroll_account("Lee@Fund.example");
  auto fresh = accounts.enroll_account("new@fund.example");
  REQUIRE(synced.ok());
  REQUIRE(fresh.ok());
  db.prepare("UPDATE email_accounts SET last_success_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-120 seconds') "
             "WHERE id = ?1")
      .bind(1, *synced)
      .run();
  run(*synced, 5, 40);
  run(*synced, 59, 2);
  run(*synced, 61, 1000);   // older than an hour: not counted
  run(*fresh, 90, 7);

  gc::store::status_repo repo{db};
  auto one = repo.account(*synced);
  REQUIRE(one.ok());
  REQUIRE(one->has_value());
  const auto& a = **one;
  CHECK(a.email == "lee@fund.example");
  REQUIRE(a.lag_seconds);
  CHECK(*a.lag_seconds >= 119);
  CHECK(*a.lag_seconds <= 130);
  CHECK(a.quota_units_last_hour == 42);

  auto other = repo.account(*fresh);
  REQUIRE(other.ok());
  REQUIRE(other->has_value());
  CHECK_FALSE((*other)->lag_seconds);        // never succeeded
  CHECK((*other)->quota_units_last_hour == 0);

  auto none = repo.account(424242);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  auto all = repo.accounts();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].quota_units_last_hour == 42);  // ordered by email: lee@ before new@
  CHECK((*all)[1].quota_units_last_hour == 0);
}

TEST_CASE_METHOD(status_db, "find_account: by address, ignoring case and surrounding blanks", "[store][accounts]") {
  gc::store::email_accounts_repo accounts{db};
  auto id = accounts.enroll_account("lee@fund.example");
  REQUIRE(id.ok());
  auto found = accounts.find_account("  LEE@Fund.Example ");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK(**found == *id);
  auto missing = accounts.find_account("max@fund.example");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE_METHOD(status_db, "status counts read indexes, never a scan of the emails table", "[store][status]") {
  // The health check must stay fast at any size: no query plan step may scan `emails` itself.
  for (const char* sql : {"SELECT count(*) FROM emails", "SELECT count(*) FROM emails WHERE is_matched = 1",
                          "SELECT count(*) FROM email_attachments WHERE status = 'stored'"}) {
    auto st = db.prepare(std::string{"EXPLAIN QUERY PLAN "} + sql);
    std::vector<std::string> steps;
    while (st.step()) steps.push_back(st.text(3));
    INFO(sql);
    REQUIRE(!steps.empty());
    for (const auto& s : steps) {
      INFO(s);
      CHECK(s.find("USING") != std::string::npos);  // "SCAN emails USING COVERING INDEX ..." / "SEARCH ... USING"
    }
  }
  auto counts = gc::store::status_repo{db}.counts();
  REQUIRE(counts.ok());
  CHECK(counts->matched == 0);
}

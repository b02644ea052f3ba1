#include "email_test_fixture.hpp"

using gc::store::email_accounts_repo;
using gc::store::run_finish;
using gc::test::email_db;
using gc::test::rows;
using gc::test::scalar;
using strings = std::vector<std::string>;

TEST_CASE_METHOD(email_db, "enrolment is idempotent and keeps the account's settings",
                 "[store][email][accounts]") {
  email_accounts_repo acc{db};
  CHECK(*acc.enroll_account(" Alice@FUND.vc ") == alice);
  CHECK(*acc.enroll_account("bob@fund.vc", "oauth") == bob);
  REQUIRE(*acc.set_sync_enabled(bob, false));
  CHECK(*acc.enroll_account("BOB@fund.vc") == bob);
  auto b = acc.account_cursor(bob);
  REQUIRE(b.ok());
  CHECK_FALSE(b->sync_enabled);       // re-enrolling does not re-enable
  CHECK(b->auth_method == "dwd");     // nor change the auth method
  CHECK(b->user_id == 2);             // linked to the CRM user (email 'Bob@Fund.VC')
  CHECK(b->state == "new");
  CHECK(b->email == "bob@fund.vc");

  auto dave = acc.enroll_account("dave@fund.vc", "oauth");   // user whose username is the address
  REQUIRE(dave.ok());
  CHECK(acc.account_cursor(*dave)->user_id == 4);
  CHECK(acc.account_cursor(*dave)->auth_method == "oauth");
  auto stranger = acc.enroll_account("x@fund.vc");
  CHECK_FALSE(acc.account_cursor(*stranger)->user_id);

  CHECK(acc.enroll_account("no-at").error().code == "invalid");
  CHECK(acc.enroll_account("a@b", "password").error().code == "invalid");
  CHECK_FALSE(*acc.set_sync_enabled(999, true));
  CHECK(acc.account_cursor(999).error().code == "not_found");

  auto list = acc.list_accounts();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 4);
  CHECK((*list)[0].email == "alice@fund.vc");
  CHECK((*list)[3].email == "x@fund.vc");
}

TEST_CASE_METHOD(email_db, "active_domain_users lists active users of the domain",
                 "[store][email][accounts]") {
  email_accounts_repo acc{db};
  db.exec("INSERT INTO users (id, username, email, name, is_active) VALUES "
          "(6, 'frank', 'frank@subfund.vc', 'Frank', 1), (7, 'gina', 'gina@fund_vc', 'G', 1)");
  auto users = acc.active_domain_users("Fund.VC");
  REQUIRE(users.ok());
  strings got;
  for (const auto& u : *users)
    got.push_back(std::to_string(u.user_id) + "|" + u.username + "|" + u.email);
  // carol is inactive, erin and frank are other domains; dave has only a username address.
  CHECK(got == strings{"1|alice|alice@fund.vc", "2|bob|bob@fund.vc", "4|dave@fund.vc|dave@fund.vc"});
  CHECK(acc.active_domain_users("@fund.vc")->size() == 3);
  CHECK(acc.active_domain_users("fund_vc")->size() == 1);     // '_' is no wildcard
  CHECK(acc.active_domain_users("").error().code == "invalid");
}

TEST_CASE_METHOD(email_db, "full sync cursor: pages once each, then incremental",
                 "[store][email][accounts]") {
  email_accounts_repo acc{db};
  REQUIRE(acc.begin_full_sync(alice, 5000, 120).ok());
  auto c = *acc.account_cursor(alice);
  CHECK(c.state == "full_sync");
  CHECK(c.full_sync_history_id == 5000);
  CHECK_FALSE(c.full_sync_page_token);
  CHECK(c.backfill_total == 120);
  CHECK_FALSE(c.history_id);

  CHECK(*acc.save_full_sync_page(alice, std::nullopt, std::string{"p2"}, 50));
  CHECK_FALSE(*acc.save_full_sync_page(alice, std::nullopt, std::string{"p2"}, 50));  // replay
  CHECK(*acc.save_full_sync_page(alice, std::string{"p2"}, std::string{"p3"}, 50));
  CHECK_FALSE(*acc.save_full_sync_page(alice, std::string{"p2"}, std::string{"p3"}, 50));
  c = *acc.account_cursor(alice);
  CHECK(c.backfill_done == 100);
  CHECK(c.full_sync_page_token == "p3");
  CHECK(*acc.save_full_sync_page(alice, std::string{"p3"}, std::nullopt, 20));
  CHECK(*acc.finish_full_sync(alice));
  CHECK_FALSE(*acc.finish_full_sync(alice));
  c = *acc.account_cursor(alice);
  CHECK(c.state == "incremental");
  CHECK(c.history_id == 5000);
  CHECK(c.backfill_done == 120);
  CHECK_FALSE(c.full_sync_history_id);
  CHECK_FALSE(c.full_sync_page_token);
  CHECK(c.last_history_at);
  CHECK(c.last_success_at);
  CHECK_FALSE(*acc.save_full_sync_page(alice, std::nullopt, std::string{"p2"}, 50));

  CHECK(acc.begin_full_sync(999, 1).error().code == "not_found");
  CHECK(acc.save_full_sync_page(999, std::nullopt, std::nullopt, 1).error().code == "not_found");
  CHECK(acc.finish_full_sync(999).error().code == "not_found");
  CHECK(acc.save_full_sync_page(alice, std::nullopt, std::nullopt, -1).error().code == "invalid");
}

TEST_CASE_METHOD(email_db, "the history id never goes backwards", "[store][email][accounts]") {
  email_accounts_repo acc{db};
  CHECK(*acc.advance_history(alice, 9));
  CHECK(*acc.advance_history(alice, 10));         // numerically greater ("10" < "9" as text)
  CHECK_FALSE(*acc.advance_history(alice, 9));
  CHECK(acc.account_cursor(alice)->history_id == 10);
  db.exec("UPDATE email_accounts SET last_history_at = '2000-01-01T00:00:00.000Z'");
  CHECK_FALSE(*acc.advance_history(alice, 10));   // equal: confirmed, not advanced
  CHECK(*acc.account_cursor(alice)->last_history_at != "2000-01-01T00:00:00.000Z");
  const uint64_t big = 9000000000000000000ull;    // beyond 32 bits, below 2^63
  CHECK(*acc.advance_history(alice, big));
  CHECK_FALSE(*acc.advance_history(alice, big - 1));
  CHECK(acc.account_cursor(alice)->history_id == static_cast<int64_t>(big));
  CHECK(acc.advance_history(alice, 18446744073709551615ull).error().code == "invalid");
  CHECK(acc.advance_history(999, 1).error().code == "not_found");
  CHECK_FALSE(acc.account_cursor(bob)->history_id);
}

TEST_CASE_METHOD(email_db, "account errors and sync runs", "[store][email][accounts]") {
  email_accounts_repo acc{db};
  REQUIRE(acc.set_account_error(alice, "history.list: 500 backendError").ok());
  auto c = *acc.account_cursor(alice);
  CHECK(c.last_error == "history.list: 500 backendError");
  CHECK(c.last_error_at);
  CHECK(c.state == "new");
  REQUIRE(acc.clear_account_error(alice).ok());
  REQUIRE(acc.clear_account_error(alice).ok());
  CHECK_FALSE(acc.account_cursor(alice)->last_error);
  CHECK(acc.set_account_error(999, "x").error().code == "not_found");
  CHECK(acc.clear_account_error(999).error().code == "not_found");

  auto run = acc.start_run(alice, "full");
  REQUIRE(run.ok());
  auto rematch = acc.start_run(std::nullopt, "rematch");
  REQUIRE(rematch.ok());
  CHECK(acc.start_run(alice, "weekly").error().code == "invalid");
  CHECK(acc.start_run(999, "full").error().code == "not_found");

  run_finish done{"ok", 120, 118, 2, 7, 850, std::nullopt};
  CHECK(*acc.finish_run(*run, done));
  CHECK_FALSE(*acc.finish_run(*run, done));
  CHECK(*acc.finish_run(*rematch, run_finish{"error", 0, 0, 0, 0, 0, std::string{"boom"}}));
  CHECK(acc.finish_run(12345, done).error().code == "not_found");
  CHECK(acc.finish_run(*run, run_finish{"weird", 0, 0, 0, 0, 0, std::nullopt}).error().code == "invalid");
  CHECK(rows(db, "SELECT account_id, kind, status, finished_at IS NOT NULL, messages_seen, "
                 "messages_stored, messages_skipped, attachments_saved, quota_units, error FROM "
                 "email_sync_runs ORDER BY id") ==
        strings{std::to_string(alice) + "|full|ok|1|120|118|2|7|850|<null>",
                "<null>|rematch|error|1|0|0|0|0|0|boom"});
  c = *acc.account_cursor(alice);
  CHECK(c.last_success_at);
  CHECK(c.last_sync_at);
}

#include "core/crypto.hpp"
#include "store/migrations.hpp"
#include "store/status_repo.hpp"
#include "store/users_repo.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

using gc::store::connection;
using gc::store::new_token;
using gc::store::new_user;
using gc::store::open_mode;
using gc::core::sha256_hex;
using Catch::Matchers::Contains;

namespace {
struct migrated_db {
  gc::test::temp_dir dir;
  std::string path = dir.file("crm.db");
  connection db{path};
  migrated_db() { REQUIRE(gc::store::migrate(db).ok()); }
};
} // namespace

TEST_CASE_METHOD(migrated_db, "users: create, find case-insensitively, list", "[store][users]") {
  gc::store::users_repo users{db};
  auto alice = users.create_user({"alice", "Alice@Fund.vc", "Alice A", "admin", "$argon2$x"});
  REQUIRE(alice.ok());
  auto bob = users.create_user({"bob", std::nullopt, "Bob", "member", "$argon2$y"});
  REQUIRE(bob.ok());

  auto by_name = users.find_user("ALICE");
  REQUIRE(by_name.ok());
  REQUIRE(by_name->has_value());
  CHECK((*by_name)->id == *alice);
  CHECK((*by_name)->role == "admin");
  CHECK((*by_name)->password_hash == "$argon2$x");
  CHECK((*by_name)->is_active);
  CHECK_FALSE((*by_name)->created_at.empty());
  auto by_mail = users.find_user("alice@FUND.VC");
  REQUIRE(by_mail.ok());
  REQUIRE(by_mail->has_value());
  CHECK((*by_mail)->username == "alice");
  CHECK_FALSE(users.find_user("carol")->has_value());

  auto list = users.list_users();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].username == "alice");
  CHECK((*list)[1].username == "bob");
  CHECK_FALSE((*list)[1].email);

  CHECK(users.create_user({"Alice", std::nullopt, "", "member", "h"}).error().code == "conflict");
  CHECK(users.create_user({"carol", "ALICE@fund.vc", "", "member", "h"}).error().code ==
        "conflict");
  CHECK(users.create_user({"dave", std::nullopt, "", "root", "h"}).error().code == "invalid");
  CHECK(users.create_user({"", std::nullopt, "", "member", "h"}).error().code == "invalid");
  CHECK(users.list_users()->size() == 2);
}

TEST_CASE_METHOD(migrated_db, "tokens: a valid token finds its principal", "[store][users]") {
  gc::store::users_repo users{db};
  auto uid = *users.create_user({"alice", "alice@fund.vc", "Alice", "admin", "h"});
  const auto live = sha256_hex("live-token"), expired = sha256_hex("expired-token"),
             future = sha256_hex("future-token");
  auto live_id = users.insert_token({live, uid, "cli", std::nullopt});
  REQUIRE(live_id.ok());
  REQUIRE(users.insert_token({expired, uid, "old", "2000-01-01T00:00:00Z"}).ok());
  REQUIRE(users.insert_token({future, uid, "web", "2999-01-01 12:00:00"}).ok());

  auto p = users.find_principal(live);
  REQUIRE(p.ok());
  REQUIRE(p->has_value());
  CHECK((*p)->user_id == uid);
  CHECK((*p)->username == "alice");
  CHECK((*p)->role == "admin");
  CHECK((*p)->token_id == *live_id);
  CHECK_FALSE((*p)->expires_at);

  CHECK_FALSE(users.find_principal(expired)->has_value());
  auto f = users.find_principal(future);
  REQUIRE(f->has_value());
  CHECK((*f)->expires_at == std::optional<std::string>{"2999-01-01T12:00:00.000Z"});  // normalized
  CHECK_FALSE(users.find_principal(sha256_hex("unknown"))->has_value());

  SECTION("revoked") {
    CHECK(*users.revoke_token(*live_id));
    CHECK_FALSE(*users.revoke_token(*live_id));  // already revoked
    CHECK_FALSE(users.find_principal(live)->has_value());
    CHECK(users.find_principal(future)->has_value());
  }
  SECTION("inactive user") {
    db.exec("UPDATE users SET is_active = 0");
    CHECK_FALSE(users.find_principal(live)->has_value());
  }
  SECTION("bad inserts") {
    auto dup = users.insert_token({live, uid, "again", std::nullopt});
    CHECK(dup.error().code == "conflict");
    CHECK_THAT(dup.error().message, !Contains(live));
    CHECK(users.insert_token({sha256_hex("x"), 999, "", std::nullopt}).error().code ==
          "not_found");
    CHECK(users.insert_token({sha256_hex("y"), uid, "", "next tuesday"}).error().code ==
          "invalid");
    CHECK(users.insert_token({"short", uid, "", std::nullopt}).error().code == "invalid");
  }
}

TEST_CASE_METHOD(migrated_db, "status: accounts, counts and recent runs", "[store][status]") {
  db.exec(R"(
    INSERT INTO email_accounts (id, email, state, sync_enabled, backfill_done, backfill_total,
      last_success_at, last_error, last_error_at, last_history_at)
    VALUES (1, 'zed@fund.vc', 'incremental', 1, 120, 120, '2026-01-02T00:00:00.000Z', NULL, NULL,
            '2026-01-02T00:00:00.000Z'),
           (2, 'amy@fund.vc', 'error', 0, 5, NULL, NULL, 'invalid_grant',
            '2026-01-03T00:00:00.000Z', NULL);
    INSERT INTO emails (id, dedup_key, is_matched) VALUES (1, 'a', 1), (2, 'b', 0), (3, 'c', 1);
    INSERT INTO email_attachments (email_id, part_id, status) VALUES (1, '1', 'stored'),
      (1, '2', 'pending'), (3, '1', 'stored'), (3, '2', 'too_large');
    INSERT INTO email_sync_runs (id, account_id, kind, status, started_at, finished_at,
      messages_seen, messages_stored, quota_units, error)
    VALUES (1, 1, 'full', 'ok', '2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z', 120, 120,
            600, NULL),
           (2, 2, 'incremental', 'error', '2026-01-03T00:00:00.000Z', NULL, 0, 0, 2, 'boom'),
           (3, NULL, 'rematch', 'running', '2026-01-02T00:00:00.000Z', NULL, 0, 0, 0, NULL);
  )");
  connection ro{path, open_mode::read_only};
  gc::store::status_repo status{ro};
  auto s = status.snapshot(2);
  REQUIRE(s.ok());
  REQUIRE(s->accounts.size() == 2);
  const auto& amy = s->accounts[0];
  CHECK(amy.email == "amy@fund.vc");
  CHECK(amy.state == "error");
  CHECK_FALSE(amy.sync_enabled);
  CHECK(amy.backfill_done == 5);
  CHECK_FALSE(amy.backfill_total);
  CHECK(amy.last_error == std::optional<std::string>{"invalid_grant"});
  CHECK(amy.last_error_at == std::optional<std::string>{"2026-01-03T00:00:00.000Z"});
  CHECK_FALSE(amy.last_success_at);
  const auto& zed = s->accounts[1];
  CHECK(zed.backfill_total == std::optional<int64_t>{120});
  CHECK(zed.last_history_at == std::optional<std::string>{"2026-01-02T00:00:00.000Z"});
  CHECK(zed.sync_enabled);

  CHECK(s->counts.emails == 3);
  CHECK(s->counts.matched == 2);
  CHECK(s->counts.attachments_stored == 2);

  REQUIRE(s->recent_runs.size() == 2);  // newest first, limited
  CHECK(s->recent_runs[0].id == 2);
  CHECK(s->recent_runs[0].account_email == std::optional<std::string>{"amy@fund.vc"});
  CHECK(s->recent_runs[0].error == std::optional<std::string>{"boom"});
  CHECK(s->recent_runs[1].id == 3);
  CHECK_FALSE(s->recent_runs[1].account_id);
  CHECK_FALSE(s->recent_runs[1].account_email);
  auto all = status.recent_runs(10);
  REQUIRE(all->size() == 3);
  CHECK((*all)[2].messages_seen == 120);
  CHECK((*all)[2].quota_units == 600);
  CHECK((*all)[2].finished_at == std::optional<std::string>{"2026-01-01T00:10:00.000Z"});
  CHECK(sqlite3_get_autocommit(ro.raw()) != 0);  // snapshot's read transaction ended
}

TEST_CASE("status on an unmigrated database is an error, not a crash", "[store][status]") {
  gc::test::temp_dir dir;
  connection db{dir.file("empty.db")};
  gc::store::status_repo status{db};
  auto s = status.snapshot();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "sqlite");
  CHECK_THAT(s.error().message, Contains("no such table"));
  CHECK(sqlite3_get_autocommit(db.raw()) != 0);
}

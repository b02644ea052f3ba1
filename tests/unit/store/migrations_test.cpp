#include "core/crypto.hpp"
#include "store/migrations.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using gc::store::connection;
using gc::store::migration;
using gc::test::rows;
using gc::test::scalar;
using gc::test::schema;
using Catch::Matchers::Contains;
using strings = std::vector<std::string>;

namespace {

const strings email_tables = {"email_accounts",         "email_threads",
                              "emails",                 "email_account_messages",
                              "email_skipped_messages", "email_investor_links",
                              "email_attachments",      "email_sync_runs"};
const strings crm_tables = {"users",            "investors",    "contacts",
                            "fundraising_state", "app_settings", "api_tokens"};

strings ledger(connection& c) {
  return rows(c, "SELECT version, name, checksum, applied_at FROM gmail_capture_migrations "
                 "ORDER BY version");
}

std::string read_text(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace


// Every version the binary embeds, in order: the tests follow new migrations automatically.
static std::vector<int> embedded_versions() {
  std::vector<int> v;
  for (const auto& m : gc::store::embedded_migrations()) v.push_back(m.version);
  return v;
}

TEST_CASE("embedded migrations are the files in migrations/, in order", "[store][migrations]") {
  auto ms = gc::store::embedded_migrations();
  REQUIRE(ms.size() >= 2);
  CHECK(ms[0].version == 1);
  CHECK(ms[0].name == "0001_crm_core.sql");
  CHECK(ms[1].version == 2);
  CHECK(ms[1].name == "0002_email_tables.sql");
  for (size_t i = 0; i < ms.size(); ++i) {
    if (i) CHECK(ms[i].version > ms[i - 1].version);
    CHECK(ms[i].sql == read_text(std::string{GC_SOURCE_DIR} + "/migrations/" + ms[i].name));
  }
}

TEST_CASE("fresh database gets every table, and a second run changes nothing", "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("crm.db")};
  CHECK(gc::store::check_migrations(db).error().code == "not_migrated");

  auto first = gc::store::migrate(db);
  REQUIRE(first.ok());
  CHECK(first->applied == embedded_versions());
  CHECK(first->already_applied.empty());
  CHECK(first->unknown.empty());
  for (const auto& t : email_tables) CHECK(db.table_exists(t));
  for (const auto& t : crm_tables) CHECK(db.table_exists(t));
  auto led = ledger(db);
  REQUIRE(led.size() == embedded_versions().size());
  CHECK_THAT(led[1], Contains("2|0002_email_tables.sql|" +
                              gc::core::sha256_hex(gc::store::embedded_migrations()[1].sql)));
  CHECK(gc::store::check_migrations(db).ok());

  auto schema_before = schema(db);
  auto second = gc::store::migrate(db);
  REQUIRE(second.ok());
  CHECK(second->applied.empty());
  CHECK(second->already_applied == embedded_versions());
  CHECK(ledger(db) == led);
  CHECK(schema(db) == schema_before);
}

TEST_CASE("an existing CRM database keeps its tables, columns and rows", "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("crm.db")};
  db.exec(R"(
    CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT,
      name TEXT, password_hash TEXT, role TEXT NOT NULL DEFAULT 'member',
      is_active INTEGER NOT NULL DEFAULT 1, created_at TEXT, last_login TEXT);
    CREATE TABLE investors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT,
      domain TEXT, graveyard INTEGER NOT NULL DEFAULT 0, created_at TEXT,
      stage TEXT NOT NULL DEFAULT 'lead', owner_id INTEGER REFERENCES users(id));
    INSERT INTO users VALUES (1, 'alice', 'alice@fund.vc', 'Alice', 'h1', 'admin', 1,
      '2024-01-01T00:00:00.000Z', '2025-06-01T10:00:00.000Z');
    INSERT INTO users VALUES (2, 'bob', 'bob@fund.vc', 'Bob', 'h2', 'member', 0,
      '2024-02-01T00:00:00.000Z', NULL);
    INSERT INTO investors VALUES (10, 'Acme Capital', 'lp@acme.com', 'acme.com', 0,
      '2024-03-01T00:00:00.000Z', 'diligence', 1);
    INSERT INTO investors VALUES (11, 'Old LP', NULL, 'old.example', 1,
      '2023-03-01T00:00:00.000Z', 'passed', 2);
  )");
  const std::string dumps[] = {"PRAGMA table_info(users)", "PRAGMA table_info(investors)",
                           "SELECT * FROM users ORDER BY id",
                           "SELECT * FROM investors ORDER BY id",
                           "SELECT sql FROM sqlite_master WHERE name IN ('users', 'investors') "
                           "ORDER BY name"};
  std::vector<strings> before;
  for (const auto& q : dumps) before.push_back(rows(db, q));

  auto r = gc::store::migrate(db);
  REQUIRE(r.ok());
  CHECK(r->applied == embedded_versions());
  for (size_t i = 0; i < std::size(dumps); ++i) CHECK(rows(db, dumps[i]) == before[i]);
  CHECK(scalar(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'last_login'") ==
        1);
  for (const auto& t : email_tables) CHECK(db.table_exists(t));
  // The new tables reference the CRM's rows.
  db.exec("INSERT INTO email_accounts (email, user_id) VALUES ('alice@fund.vc', 1)");
  CHECK(scalar(db, "PRAGMA foreign_key_check") == -1);  // no violations
}

TEST_CASE("a failing migration leaves nothing of itself behind", "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("x.db")};
  std::vector<migration> ms = {
      {1, "0001_good.sql", "CREATE TABLE good (id INTEGER PRIMARY KEY);"},
      {2, "0002_broken.sql",
       "CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO good VALUES (7);\n"
       "CREATE TABLE broken (id INTEGER PRIMARY KEY,);"},
  };
  auto r = gc::store::migrate(db, ms);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "migration_failed");
  CHECK_THAT(r.error().message, Contains("0002_broken.sql"));
  CHECK_THAT(r.error().message, Contains("syntax error"));
  CHECK_THAT(r.error().message, Contains("CREATE TABLE broken"));
  CHECK(db.table_exists("good"));                 // 0001 stays applied
  CHECK_FALSE(db.table_exists("half"));           // 0002's first statement rolled back
  CHECK(scalar(db, "SELECT count(*) FROM good") == 0);
  CHECK(rows(db, "SELECT version FROM gmail_capture_migrations") == strings{"1"});
  CHECK(gc::store::check_migrations(db, ms).error().code == "not_migrated");
  CHECK_THAT(gc::store::check_migrations(db, ms).error().message, Contains("0002_broken.sql"));

  // Fixed, it applies on the next run.
  ms[1].sql = "CREATE TABLE half (id INTEGER PRIMARY KEY);";
  auto again = gc::store::migrate(db, ms);
  REQUIRE(again.ok());
  CHECK(again->applied == std::vector<int>{2});
  CHECK(again->already_applied == std::vector<int>{1});
  CHECK(db.table_exists("half"));
}

TEST_CASE("a migration changed after it was applied is an error", "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("x.db")};
  std::vector<migration> ms = {{1, "0001_a.sql", "CREATE TABLE a (x);"},
                               {2, "0002_email_tables.sql", "CREATE TABLE b (x);"}};
  REQUIRE(gc::store::migrate(db, ms).ok());
  ms[1].sql = "CREATE TABLE b (x, y);";
  ms.push_back({3, "0003_c.sql", "CREATE TABLE c (x);"});
  auto r = gc::store::migrate(db, ms);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "migration_changed");
  CHECK_THAT(r.error().message,
             Contains("migration 0002_email_tables.sql was changed after it was applied "
                      "(checksum " +
                      gc::core::sha256_hex("CREATE TABLE b (x);")));
  CHECK_FALSE(db.table_exists("c"));  // nothing applied
  CHECK(gc::store::check_migrations(db, ms).error().code == "migration_changed");
}

TEST_CASE("ledger versions unknown to this binary are tolerated and reported",
          "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("x.db")};
  std::vector<migration> newer = {{1, "0001_a.sql", "CREATE TABLE a (x);"},
                                  {2, "0002_b.sql", "CREATE TABLE b (x);"}};
  REQUIRE(gc::store::migrate(db, newer).ok());
  std::vector<migration> older = {newer[0]};
  auto r = gc::store::migrate(db, older);
  REQUIRE(r.ok());
  CHECK(r->applied.empty());
  CHECK(r->already_applied == std::vector<int>{1});
  CHECK(r->unknown == std::vector<int>{2});
  CHECK(gc::store::check_migrations(db, older).ok());
}

TEST_CASE("migration lists are validated", "[store][migrations]") {
  gc::test::temp_dir dir;
  connection db{dir.file("x.db")};
  std::vector<migration> dup = {{1, "0001_a.sql", "SELECT 1;"}, {1, "0001_b.sql", "SELECT 1;"}};
  CHECK(gc::store::migrate(db, dup).error().code == "migration_invalid");
  std::vector<migration> own_tx = {{1, "0001_a.sql", "CREATE TABLE a (x); COMMIT;"}};
  auto r = gc::store::migrate(db, own_tx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "migration_failed");
  CHECK_THAT(r.error().message, Contains("not allowed in a migration"));
  CHECK_FALSE(db.table_exists("a"));
  CHECK(sqlite3_get_autocommit(db.raw()) != 0);
}

TEST_CASE("check_migrations works on a read-only connection", "[store][migrations]") {
  gc::test::temp_dir dir;
  auto path = dir.file("x.db");
  { connection rw{path}; }
  {
    connection ro{path, gc::store::open_mode::read_only};
    CHECK(gc::store::check_migrations(ro).error().code == "not_migrated");
    CHECK_FALSE(ro.table_exists("gmail_capture_migrations"));  // check never writes
  }
  connection rw{path};
  REQUIRE(gc::store::migrate(rw).ok());
  connection ro{path, gc::store::open_mode::read_only};
  CHECK(gc::store::check_migrations(ro).ok());
}

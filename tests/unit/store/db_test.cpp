#include "store/db.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sqlite3.h>

using gc::store::connection;
using gc::store::db_error;
using gc::store::open_mode;
using gc::store::savepoint;
using gc::store::transaction;
using gc::test::rows;
using gc::test::scalar;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
struct fixture {
  gc::test::temp_dir dir;
  std::string path = dir.file("t.db");
  connection db{path};
  fixture() { db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)"); }
  void insert(const std::string& x) {
    db.prepare("INSERT INTO t (x) VALUES (?1)").bind(1, x).run();
  }
};
} // namespace

TEST_CASE_METHOD(fixture, "connection sets WAL, foreign keys and synchronous=NORMAL",
                 "[store][db]") {
  CHECK(rows(db, "PRAGMA journal_mode") == std::vector<std::string>{"wal"});
  CHECK(scalar(db, "PRAGMA foreign_keys") == 1);
  CHECK(scalar(db, "PRAGMA synchronous") == 1);  // NORMAL
  CHECK(db.table_exists("t"));
  CHECK_FALSE(db.table_exists("nope"));
  CHECK(db.path() == path);
}

// SQLite is configured before its first connection: without global memory statistics its
// malloc and free take no process-wide mutex (SQLite then counts nothing).
TEST_CASE_METHOD(fixture, "SQLite keeps no global memory statistics", "[store][db]") {
  for (int i = 0; i < 50; ++i) insert("row " + std::to_string(i));
  CHECK(scalar(db, "SELECT count(*) FROM t") == 50);
  CHECK(sqlite3_memory_used() == 0);
}

// Counts the statement journals SQLite spills to a file, through a VFS that wraps the default
// one and is the default while it lives.
struct subjournal_files {
  static inline sqlite3_vfs* inner = nullptr;
  static inline int opened = 0;
  sqlite3_vfs vfs{};
  subjournal_files() {
    inner = sqlite3_vfs_find(nullptr);
    vfs = *inner;
    vfs.zName = "gc-count-subjournals";
    vfs.pNext = nullptr;
    vfs.xOpen = [](sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
      if (flags & SQLITE_OPEN_SUBJOURNAL) ++opened;
      return inner->xOpen(inner, name, f, flags, out);
    };
    opened = 0;
    sqlite3_vfs_register(&vfs, 1);
  }
  ~subjournal_files() { sqlite3_vfs_unregister(&vfs); }
  subjournal_files(const subjournal_files&) = delete;
  subjournal_files& operator=(const subjournal_files&) = delete;
};

// A multi-row UPDATE on a UNIQUE column inside a transaction may fail halfway, so SQLite keeps
// the pages it changes in a statement journal. SQLite's default spills one past 64 KiB to a
// temp file; the store keeps up to 120 KiB in memory. A larger journal still goes to a file,
// and still works (a spill chunk of 128 KiB or more failed there with SQLITE_FULL).
TEST_CASE_METHOD(fixture, "statement journals up to 120 KiB stay in memory", "[store][db]") {
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
          "INSERT INTO t (x) SELECT printf('%0500d', i) FROM n");
  subjournal_files spills;
  connection writer{path};  // opened through the counting VFS
  {
    transaction tx{writer};
    writer.exec("UPDATE t SET x = x || 'a' WHERE id <= 80");  // ~20 pages: over 64 KiB
    tx.commit();
  }
  CHECK(subjournal_files::opened == 0);
  {
    transaction tx{writer};
    writer.exec("UPDATE t SET x = x || 'b'");  // ~1 MB of pages
    tx.commit();
  }
  CHECK(subjournal_files::opened == 1);
  CHECK(scalar(writer, "SELECT count(*) FROM t WHERE x LIKE '%b'") == 2000);
  CHECK(scalar(writer, "SELECT count(*) FROM t WHERE x LIKE '%ab'") == 80);
}

TEST_CASE_METHOD(fixture, "transaction commits, and rolls back on exception", "[store][db]") {
  {
    transaction tx{db};
    insert("kept");
    tx.commit();
  }
  try {
    transaction tx{db};
    insert("lost");
    CHECK(scalar(db, "SELECT count(*) FROM t") == 2);  // visible inside the transaction
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK(rows(db, "SELECT x FROM t") == std::vector<std::string>{"kept"});
  CHECK(sqlite3_get_autocommit(db.raw()) != 0);  // no transaction left open
}

TEST_CASE_METHOD(fixture, "savepoint rolls back to itself unless released", "[store][db]") {
  transaction tx{db};
  insert("a");
  {
    savepoint sp{db, "sp_lost"};
    insert("b");
  }
  {
    savepoint sp{db, "sp_kept"};
    insert("c");
    sp.release();
  }
  try {
    savepoint sp{db, "sp_throw"};
    insert("d");
    insert("d");  // UNIQUE violation
  } catch (const db_error& e) {
    CHECK(e.code() == SQLITE_CONSTRAINT_UNIQUE);
  }
  tx.commit();
  CHECK(rows(db, "SELECT x FROM t ORDER BY id") == std::vector<std::string>{"a", "c"});
  CHECK_THROWS_AS(savepoint(db, "bad name; DROP TABLE t"), db_error);
  CHECK(db.table_exists("t"));
}

TEST_CASE_METHOD(fixture, "on an all-or-nothing connection a savepoint opens nothing and a lost "
                 "one marks the transaction broken", "[store][db]") {
  transaction tx{db};
  db.set_all_or_nothing(true);
  insert("a");
  {
    savepoint sp{db, "sp_kept"};
    insert("b");
    sp.release();
  }
  CHECK_FALSE(db.broken());
  // No SAVEPOINT was opened: releasing one by name would fail.
  CHECK_THROWS_AS(db.exec("RELEASE \"sp_kept\""), db_error);
  try {
    savepoint sp{db, "sp_throw"};
    insert("c");
    insert("c");  // UNIQUE violation: the savepoint cannot undo "c"
  } catch (const db_error& e) {
    CHECK(e.code() == SQLITE_CONSTRAINT_UNIQUE);
  }
  CHECK(db.broken());
  CHECK(scalar(db, "SELECT count(*) FROM t WHERE x = 'c'") == 1);  // still there: the owner must roll back
  db.set_all_or_nothing(false);  // back to real savepoints; clears the mark
  CHECK_FALSE(db.broken());
  {
    savepoint sp{db, "sp_lost"};
    insert("d");
  }
  CHECK_FALSE(db.broken());
  CHECK(scalar(db, "SELECT count(*) FROM t WHERE x = 'd'") == 0);  // rolled back to itself
  tx.commit();
  CHECK(rows(db, "SELECT x FROM t ORDER BY id") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE_METHOD(fixture, "statement cache reuses, resets and clears bindings", "[store][db]") {
  insert("a");
  insert("b");
  const std::string sql = "SELECT x FROM t WHERE id = ?1 OR ?2 IS NOT NULL ORDER BY id";
  sqlite3_stmt* first = nullptr;
  {
    auto st = db.prepare(sql);
    first = st.raw();
    st.bind(1, 1).bind(2, "all");
    REQUIRE(st.step());
    CHECK(st.text(0) == "a");  // left half-read on purpose
  }
  {
    auto st = db.prepare(sql);
    CHECK(st.raw() == first);  // same cached statement
    st.bind(1, 2);             // ?2 was cleared: NULL again
    REQUIRE(st.step());
    CHECK(st.text(0) == "b");
    CHECK_FALSE(st.step());

    // While it is borrowed, the same SQL gets a separate statement and does not disturb it.
    auto other = db.prepare(sql);
    CHECK(other.raw() != first);
  }
  CHECK(db.prepare(sql).raw() == first);
}

TEST_CASE_METHOD(fixture, "a half-read cached statement does not pin an old snapshot",
                 "[store][db]") {
  insert("a");
  insert("b");
  connection reader{path, open_mode::read_only};
  {
    auto st = reader.prepare("SELECT x FROM t ORDER BY id");
    REQUIRE(st.step());  // one row read, then dropped
  }
  insert("c");
  auto st = reader.prepare("SELECT count(*) FROM t");
  REQUIRE(st.step());
  CHECK(st.int64(0) == 3);
}

TEST_CASE_METHOD(fixture, "binds and reads every column type", "[store][db]") {
  db.exec("CREATE TABLE v (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)");
  auto ins = db.prepare("INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)");
  ins.bind(1, int64_t{1} << 40).bind(2, 2.5).bind(3, "").bind_blob(4, std::string("a\0b", 3));
  ins.bind(5, std::optional<std::string>{}).run();
  CHECK(db.changes() == 1);
  CHECK(db.last_insert_id() == 1);
  auto st = db.prepare("SELECT i, r, s, b, n, typeof(s) FROM v");
  REQUIRE(st.step());
  CHECK(st.int64(0) == (int64_t{1} << 40));
  CHECK(st.real(1) == 2.5);
  CHECK(st.opt_text(2) == std::optional<std::string>{""});  // empty text is not NULL
  CHECK(st.text(5) == "text");
  CHECK(st.text(3) == std::string("a\0b", 3));
  CHECK(st.is_null(4));
  CHECK(st.text(4).empty());
  CHECK_FALSE(st.opt_int64(4));
  CHECK(st.opt_int64(0) == (int64_t{1} << 40));
}

TEST_CASE_METHOD(fixture, "bad SQL gives db_error with SQLite's message and the SQL",
                 "[store][db]") {
  try {
    db.prepare("SELEC x FROM t");
    FAIL("no exception");
  } catch (const db_error& e) {
    CHECK(e.code() == SQLITE_ERROR);
    CHECK_THAT(e.what(), StartsWith("sqlite: near \"SELEC\": syntax error (code 1) in: SELEC x"));
  }
  try {
    db.exec("CREATE TABLE ok1 (a);\n  INSERT INTO missing VALUES (1);");
    FAIL("no exception");
  } catch (const db_error& e) {
    CHECK_THAT(e.what(), Contains("no such table: missing"));
    CHECK_THAT(e.what(), Contains("in: INSERT INTO missing"));
  }
  insert("dup");
  try {
    insert("dup");
    FAIL("no exception");
  } catch (const db_error& e) {
    CHECK(e.code() == SQLITE_CONSTRAINT_UNIQUE);  // extended code
    CHECK_THAT(e.what(), Contains("UNIQUE constraint failed: t.x"));
  }
  // The statement stays usable after a failed step.
  insert("fine");
  CHECK(scalar(db, "SELECT count(*) FROM t") == 2);
  std::string long_sql = "SELECT " + std::string(200, '1') + "x";
  try {
    db.exec(long_sql);
    FAIL("no exception");
  } catch (const db_error& e) {
    std::string msg = e.what();
    CHECK(msg.substr(msg.find("in: ") + 4).size() == 80);
  }
}

TEST_CASE("read-only connection cannot write and never creates the file", "[store][db]") {
  gc::test::temp_dir dir;
  auto missing = dir.file("missing.db");
  CHECK_THROWS_AS(connection(missing, open_mode::read_only), db_error);
  CHECK_FALSE(std::filesystem::exists(missing));

  auto path = dir.file("ro.db");
  {
    connection rw{path};
    rw.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  }
  connection ro{path, open_mode::read_only};
  CHECK(scalar(ro, "PRAGMA query_only") == 1);
  CHECK(scalar(ro, "SELECT count(*) FROM t") == 1);
  try {
    ro.exec("INSERT INTO t VALUES (2)");
    FAIL("no exception");
  } catch (const db_error& e) {
    CHECK((e.code() & 0xff) == SQLITE_READONLY);
  }
  CHECK_THROWS_AS(ro.exec("CREATE TABLE u (y)"), db_error);
  CHECK(scalar(ro, "SELECT count(*) FROM t") == 1);
}

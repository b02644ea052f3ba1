#include "store/db.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <sqlite3.h>
#include <thread>

using gc::store::connection;
using gc::store::db_error;
using gc::store::open_mode;
using gc::store::transaction;
using gc::test::scalar;

TEST_CASE("readers are not blocked while a write transaction is open", "[store][db][wal]") {
  gc::test::temp_dir dir;
  auto path = dir.file("wal.db");
  connection writer{path};
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);"
              "INSERT INTO t (x) VALUES ('a'), ('b'), ('c');");

  transaction tx{writer};
  for (const char* x : {"d", "e"}) writer.prepare("INSERT INTO t (x) VALUES (?1)").bind(1, x).run();
  REQUIRE(scalar(writer, "SELECT count(*) FROM t") == 5);  // uncommitted, seen by the writer

  // The write lock really is held: another writer cannot begin (no waiting allowed).
  {
    connection other{path, open_mode::read_write, 0};
    try {
      transaction blocked{other};
      FAIL("a second write transaction started");
    } catch (const db_error& e) {
      CHECK((e.code() & 0xff) == SQLITE_BUSY);
    }
  }

  // A reader on its own thread and its own read-only connection completes while the writer
  // still holds its transaction, and sees the committed (pre-transaction) state.
  std::promise<std::vector<std::string>> read_done;
  auto result = read_done.get_future();
  std::thread reader{[&path, &read_done] {
    try {
      connection ro{path, open_mode::read_only, 0};  // busy_timeout 0: a lock would fail fast
      read_done.set_value(gc::test::rows(ro, "SELECT x FROM t ORDER BY id"));
    } catch (...) {
      read_done.set_exception(std::current_exception());
    }
  }};
  // Guard against a hang only; the reader finishes long before this.
  bool finished = result.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  CHECK(finished);
  CHECK(sqlite3_get_autocommit(writer.raw()) == 0);  // the writer's transaction is still open
  std::vector<std::string> seen;
  if (finished) REQUIRE_NOTHROW(seen = result.get());
  reader.join();
  CHECK(seen == std::vector<std::string>{"a", "b", "c"});

  tx.commit();
  connection ro{path, open_mode::read_only};
  CHECK(scalar(ro, "SELECT count(*) FROM t") == 5);
}

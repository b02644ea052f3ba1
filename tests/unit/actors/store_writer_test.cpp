// store_writer on the real scheduler (it is detached: its own thread) against real SQLite
// files. Groups are made deterministic with a gate job: while it blocks the writer, the
// test enqueues the next jobs, which then form exactly one flush group.
#include "actor_test_util.hpp"
#include "actors/store_writer.hpp"
#include "store/fts_maintenance.hpp"
#include "store/migrations.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using gc::actors::errc;
using gc::actors::store_writer_actor;

namespace {

struct writer_fixture {
  gc::test::temp_dir dir;
  std::string db = dir.file("w.db");
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  writer_fixture() {
    cfg.add_message_types<caf::id_block::gc>();
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  ~writer_fixture() { sys.reset(); }  // waits for every actor
};

using outcome = caf::expected<int64_t>;

// Receives the reply of `h` (finite timeout from the request).
template <class Handle>
outcome await(Handle& h) {
  outcome out{caf::error{}};
  h.receive([&](int64_t v) { out = v; }, [&](caf::error& e) { out = std::move(e); });
  return out;
}

gc::actors::writer_stats stats_of(caf::scoped_actor& self, const store_writer_actor& w) {
  gc::actors::writer_stats s;
  self->request(w, 10s, gc::actors::stats_atom_v)
    .receive([&](gc::actors::writer_stats& x) { s = x; },
             [&](caf::error& e) { FAIL("stats: " << caf::to_string(e)); });
  return s;
}

// Runs `jobs` as ONE flush group: a gate job holds the writer while they queue behind it.
// Their outcomes, in order.
std::vector<outcome> one_group(caf::scoped_actor& self, const store_writer_actor& w,
                               const std::vector<gc::actors::write_fn>& jobs) {
  auto g = std::make_shared<gc::test::gate>();
  auto h0 = self->request(w, 60s, gc::actors::write_atom_v, gc::test::gate_job(g));
  REQUIRE(g->wait_entered());
  std::vector<decltype(h0)> hs;
  for (const auto& j : jobs) hs.push_back(self->request(w, 60s, gc::actors::write_atom_v, j));
  g->open();
  REQUIRE(await(h0));
  std::vector<outcome> out;
  for (auto& h : hs) out.push_back(await(h));
  return out;
}

} // namespace

TEST_CASE_METHOD(writer_fixture, "store_writer: a failing job is rolled back alone and "
                 "its requester gets the error", "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {db});
  caf::scoped_actor self{*sys};
  gc::actors::write_fn bad = [](gc::store::connection& c) -> int64_t {
    c.prepare("INSERT INTO t (v) VALUES ('bad')").run();  // must be rolled back
    throw std::runtime_error("boom: job refused");
  };
  auto r = one_group(self, w, {gc::test::insert_job("ok1"), bad, gc::test::insert_job("ok2"),
                               gc::test::insert_job("ok1"), gc::test::insert_job("ok3")});
  auto &r1 = r[0], &r2 = r[1], &r3 = r[2], &r4 = r[3], &r5 = r[4];
  REQUIRE(r1);
  REQUIRE(r3);
  REQUIRE(r5);
  REQUIRE_FALSE(r2);
  CHECK(r2.error() == errc::job_failed);
  CHECK(gc::actors::error_detail(r2.error()) == "boom: job refused");
  REQUIRE_FALSE(r4);  // UNIQUE violation
  CHECK(gc::actors::error_code(r4.error()) == "job_failed");
  CHECK_THAT(gc::actors::error_detail(r4.error()), Catch::Matchers::Contains("UNIQUE"));

  CHECK(gc::test::count_rows(db) == 3);
  CHECK(gc::test::count_rows(db, "v = 'bad'") == 0);
  CHECK(gc::test::count_rows(db, "id = " + std::to_string(*r5) + " AND v = 'ok3'") == 1);
  auto s = stats_of(self, w);
  CHECK(s.groups == 2);  // the gate's group + the five
  CHECK(s.jobs == 6);
  CHECK(s.redone == 1);  // the five: first all-or-nothing, then again with a savepoint per job
  self->send_exit(w, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(writer_fixture, "store_writer: a group without failures commits once, without "
                 "savepoints; a savepoint a job rolls back itself makes the group run again",
                 "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {db});
  caf::scoped_actor self{*sys};
  auto ran = std::make_shared<std::atomic<int>>(0);
  // Keeps "a" and "c"; undoes "b" with a savepoint of its own and carries on (no throw out).
  gc::actors::write_fn partial = [ran](gc::store::connection& c) -> int64_t {
    ++*ran;
    c.prepare("INSERT INTO t (v) VALUES ('a')").run();
    try {
      gc::store::savepoint sp{c, "try_b"};
      c.prepare("INSERT INTO t (v) VALUES ('b')").run();
      c.prepare("INSERT INTO t (v) VALUES ('a')").run();  // UNIQUE violation
      sp.release();
    } catch (const gc::store::db_error&) {
    }
    c.prepare("INSERT INTO t (v) VALUES ('c')").run();
    return 7;
  };
  auto r = one_group(self, w, {gc::test::insert_job("x1"), partial, gc::test::insert_job("x2")});
  auto &r1 = r[0], &r2 = r[1], &r3 = r[2];
  REQUIRE(r1);
  REQUIRE(r2);
  REQUIRE(r3);
  CHECK(*r2 == 7);
  CHECK(*ran == 2);  // all-or-nothing could not undo "b": the group ran again with savepoints
  CHECK(gc::test::count_rows(db) == 4);
  CHECK(gc::test::count_rows(db, "v = 'b'") == 0);
  CHECK(gc::test::count_rows(db, "v IN ('a', 'c', 'x1', 'x2')") == 4);
  auto s = stats_of(self, w);
  CHECK(s.groups == 2);
  CHECK(s.redone == 1);

  // A group that succeeds runs once.
  auto h4 = self->request(w, 60s, gc::actors::write_atom_v, gc::test::insert_job("y"));
  REQUIRE(await(h4));
  CHECK(stats_of(self, w).redone == 1);
  self->send_exit(w, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(writer_fixture, "store_writer: when SQLite aborts the whole transaction, "
                 "the other jobs are re-run, not lost", "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {db});
  caf::scoped_actor self{*sys};
  // Stands in for errors after which SQLite rolls back everything (SQLITE_FULL, IOERR...).
  gc::actors::write_fn rogue = [](gc::store::connection& c) -> int64_t {
    c.exec("ROLLBACK");
    return 0;
  };
  auto r = one_group(self, w, {gc::test::insert_job("before"), rogue, gc::test::insert_job("after")});
  auto &r1 = r[0], &r2 = r[1], &r3 = r[2];
  REQUIRE(r1);
  REQUIRE(r3);
  REQUIRE_FALSE(r2);
  CHECK(r2.error() == errc::job_failed);
  CHECK(gc::test::count_rows(db, "v IN ('before', 'after')") == 2);
  auto s = stats_of(self, w);
  CHECK(s.groups == 3);  // gate, the aborted group, the re-run of before + after
  CHECK(s.jobs == 4);
  self->send_exit(w, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(writer_fixture, "store_writer: groups are capped at max_group",
                 "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {db, 4});
  caf::scoped_actor self{*sys};
  std::vector<gc::actors::write_fn> jobs;
  for (int i = 0; i < 10; ++i) jobs.push_back(gc::test::insert_job("v" + std::to_string(i)));
  std::vector<int64_t> ids;
  for (auto& r : one_group(self, w, jobs)) {
    REQUIRE(r);
    ids.push_back(*r);
  }
  for (size_t i = 1; i < ids.size(); ++i)
    CHECK(ids[i] == ids[i - 1] + 1);  // run in arrival order
  CHECK(gc::test::count_rows(db) == 10);
  auto s = stats_of(self, w);
  CHECK(s.groups == 4);  // gate, then 4 + 4 + 2
  CHECK(s.jobs == 11);
  self->send_exit(w, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(writer_fixture, "store_writer: exit commits queued jobs and truncates the WAL",
                 "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {db});
  caf::scoped_actor self{*sys};
  auto g = std::make_shared<gc::test::gate>();
  auto h0 = self->request(w, 60s, gc::actors::write_atom_v, gc::test::gate_job(g));
  REQUIRE(g->wait_entered());
  auto h1 = self->request(w, 60s, gc::actors::write_atom_v, gc::test::insert_job("a"));
  auto h2 = self->request(w, 60s, gc::actors::write_atom_v, gc::test::insert_job("b"));
  self->send_exit(w, caf::exit_reason::user_shutdown);  // behind a and b in the mailbox
  // A reader that has read keeps the WAL from being deleted when the writer closes, so an
  // empty WAL afterwards proves the TRUNCATE checkpoint.
  g->open();
  REQUIRE(await(h0));
  gc::store::connection reader{db, gc::store::open_mode::read_only};
  reader.prepare("SELECT count(*) FROM t").step();
  REQUIRE(await(h1));
  REQUIRE(await(h2));
  self->wait_for(w);
  CHECK(gc::test::count_rows(db) == 2);
  auto wal = db + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
}

TEST_CASE_METHOD(writer_fixture, "store_writer: an unopenable database ends the actor with "
                 "an error", "[actors][store_writer]") {
  auto w = gc::actors::spawn_store_writer(*sys, {dir.file("no/such/dir/x.db")});
  caf::scoped_actor self{*sys};
  self->monitor(w);
  caf::error reason;
  self->receive([&](caf::down_msg& dm) { reason = dm.reason; },
                caf::after(30s) >> [] { FAIL("writer did not exit"); });
  CHECK(reason == errc::unavailable);
  CHECK_THAT(gc::actors::error_detail(reason), Catch::Matchers::Contains("cannot open"));
}

namespace {

// A job that indexes one row in emails_fts: each group's commit adds an FTS5 segment.
gc::actors::write_fn index_job(int i) {
  return [i](gc::store::connection& c) -> int64_t {
    c.prepare("INSERT INTO emails_fts (rowid, subject, participants, body, from_addr) "
              "VALUES (?1, 'Waterfall draft', 'lee@acme.com', 'quarterly numbers', 'Lee')")
        .bind(1, int64_t{i} + 1)
        .run();
    return i;
  };
}

int segments_after_groups(const std::string& db, caf::actor_system& sys, int merge_at,
                          int max_segments) {
  {
    gc::store::connection c{db};
    REQUIRE(gc::store::migrate(c).ok());
  }
  gc::actors::store_writer_options o{db};
  o.fts_merge_at = merge_at;
  o.fts_max_segments = max_segments;
  o.fts_check_every = std::chrono::milliseconds{0};
  o.fts_min_gap = std::chrono::milliseconds{0};
  o.fts_max_share = 1.0;  // no rest after a merge
  auto w = gc::actors::spawn_store_writer(sys, o);
  caf::scoped_actor self{sys};
  for (int i = 0; i < 12; ++i) {  // one group each: the next is sent after the reply
    auto h = self->request(w, 60s, gc::actors::write_atom_v, index_job(i));
    REQUIRE(await(h));
  }
  self->send_exit(w, caf::exit_reason::user_shutdown);
  self->wait_for(w);
  gc::store::connection c{db};
  auto found = c.prepare("SELECT count(*) FROM emails_fts WHERE emails_fts MATCH 'waterfall'");
  REQUIRE(found.step());
  CHECK(found.int64(0) == 12);
  auto n = gc::store::fts_segments(c);
  REQUIRE(n.ok());
  return *n;
}

} // namespace

TEST_CASE_METHOD(writer_fixture, "store_writer: keeps the full-text index in few segments",
                 "[actors][store_writer][fts]") {
  // Without upkeep, 12 single-row commits leave several segments (FTS5 merges by itself only
  // after 64 pages written).
  const int off = segments_after_groups(dir.file("off.db"), *sys, 0, 0);
  CHECK(off >= 6);
  // Full merges at 3: whenever a group leaves 3, the index becomes one segment again.
  CHECK(segments_after_groups(dir.file("full.db"), *sys, 0, 3) <= 2);
  // Level merges at 3: whenever a group leaves 3, the levels holding several are merged.
  CHECK(segments_after_groups(dir.file("levels.db"), *sys, 3, 0) <= 3);
}

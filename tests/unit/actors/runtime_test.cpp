// runtime on the real scheduler: concurrent writers, replies only after commit, writer
// restart under supervision, clean shutdown with writes in flight. Waits are bounded.
#include "actor_test_util.hpp"
#include "actors/runtime.hpp"
#include "actors/store_writer.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

gc::core::config config_for(const std::string& db) {
  gc::core::config cfg;
  cfg.db_path = db;
  return cfg;
}

// Counts completions; wait() gives up after a generous bound instead of hanging.
struct countdown {
  std::mutex m;
  std::condition_variable cv;
  int left;
  explicit countdown(int n) : left{n} {}
  void done() {
    std::lock_guard<std::mutex> g{m};
    if (--left == 0)
      cv.notify_all();
  }
  bool wait(std::chrono::seconds limit = 120s) {
    std::unique_lock<std::mutex> g{m};
    return cv.wait_for(g, limit, [&] { return left == 0; });
  }
};

caf::actor writer_of(gc::actors::runtime& rt) {
  caf::scoped_actor self{rt.system()};
  caf::actor w;
  self->request(rt.supervisor(), 10s, caf::get_atom_v, std::string{"store"})
    .receive([&](caf::actor& a) { w = a; }, [&](caf::error& e) { FAIL(caf::to_string(e)); });
  return w;
}

gc::actors::writer_stats stats_of(gc::actors::runtime& rt) {
  caf::scoped_actor self{rt.system()};
  gc::actors::writer_stats s;
  auto w = caf::actor_cast<gc::actors::store_writer_actor>(writer_of(rt));
  self->request(w, 10s, gc::actors::stats_atom_v)
    .receive([&](gc::actors::writer_stats& x) { s = x; },
             [&](caf::error& e) { FAIL(caf::to_string(e)); });
  return s;
}

} // namespace

TEST_CASE("runtime: concurrent writers lose nothing and share groups", "[actors][runtime]") {
  gc::test::temp_dir dir;
  auto db = dir.file("crm.db");
  gc::actors::runtime rt{config_for(db)};
  // The gate holds the writer until every write has been submitted, so they pile up.
  auto g = std::make_shared<gc::test::gate>();
  countdown gate_done{1};
  rt.write(gc::test::gate_job(g), [&](gc::result<int64_t>) { gate_done.done(); });
  REQUIRE(g->wait_entered());

  constexpr int threads = 8, per_thread = 500;
  countdown all{threads * per_thread};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i)
        rt.write(gc::test::insert_job(std::to_string(t) + ":" + std::to_string(i)),
                 [&](gc::result<int64_t> r) {
                   (r ? ok : failed)++;
                   all.done();
                 });
    });
  for (auto& t : ts)
    t.join();
  g->open();
  REQUIRE(gate_done.wait());
  REQUIRE(all.wait());
  CHECK(failed == 0);
  CHECK(ok == threads * per_thread);
  CHECK(gc::test::count_rows(db) == threads * per_thread);
  auto s = stats_of(rt);
  CHECK(s.jobs == threads * per_thread + 1);
  INFO("groups " << s.groups << " for " << s.jobs << " jobs");
  CHECK(s.groups * 4 < s.jobs);  // grouped, not one transaction per write
}

TEST_CASE("runtime: a reply arrives only after its row is committed", "[actors][runtime]") {
  gc::test::temp_dir dir;
  auto db = dir.file("crm.db");
  gc::actors::runtime rt{config_for(db)};
  REQUIRE(rt.write_sync([](gc::store::connection& c) -> int64_t {
    c.exec(gc::test::create_t_sql);
    return 0;
  }));
  constexpr int n = 200;
  countdown all{n};
  std::atomic<int> visible{0}, errors{0};
  for (int i = 0; i < n; ++i)
    rt.write(gc::test::insert_job("r" + std::to_string(i)), [&](gc::result<int64_t> r) {
      // On a CAF thread, right at delivery: a fresh reader must already see the row.
      if (r && gc::test::count_rows(db, "id = " + std::to_string(*r)) == 1)
        ++visible;
      else
        ++errors;
      all.done();
    });
  REQUIRE(all.wait());
  CHECK(errors == 0);
  CHECK(visible == n);
}

TEST_CASE("runtime: errors come back as values", "[actors][runtime]") {
  gc::test::temp_dir dir;
  gc::actors::runtime rt{config_for(dir.file("crm.db"))};
  auto bad = rt.write_sync([](gc::store::connection&) -> int64_t {
    throw std::runtime_error("nope");
  });
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == "job_failed");
  CHECK(bad.error().message == "nope");
  auto good = rt.write_sync([](gc::store::connection&) -> int64_t { return 42; });
  REQUIRE(good);
  CHECK(*good == 42);
}

TEST_CASE("runtime: a killed store writer is restarted and found again",
          "[actors][runtime][supervisor]") {
  gc::test::temp_dir dir;
  auto db = dir.file("crm.db");
  gc::actors::runtime rt{config_for(db)};
  REQUIRE(rt.write_sync([](gc::store::connection& c) -> int64_t {
    c.exec(gc::test::create_t_sql);
    return 0;
  }));
  auto before = writer_of(rt);
  caf::anon_send_exit(before, caf::exit_reason::kill);
  // Poll (bounded) until the supervisor reports the restart.
  std::vector<gc::actors::runtime::child_status> st;
  for (int i = 0; i < 1000; ++i) {
    st = rt.children_sync();
    if (!st.empty() && st[0].restarts == 1 && st[0].alive)
      break;
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(st.size() == 1);
  CHECK(st[0].name == "store");
  CHECK(st[0].restarts == 1);
  CHECK(st[0].alive);
  CHECK_THAT(st[0].last_exit_reason, Catch::Matchers::Contains("kill"));
  CHECK(writer_of(rt) != before);
  auto r = rt.write_sync(gc::test::insert_job("after restart"));
  REQUIRE(r);
  CHECK(gc::test::count_rows(db) == 1);
}

TEST_CASE("runtime: an unopenable database gives 'unavailable', not a hang",
          "[actors][runtime]") {
  gc::test::temp_dir dir;
  gc::actors::runtime rt{config_for(dir.file("missing/dir/crm.db"))};
  auto r = rt.write_sync(gc::test::insert_job("x"), 10s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "unavailable");
}

TEST_CASE("runtime: shutdown with writes in flight answers every write and does not hang",
          "[actors][runtime]") {
  gc::test::temp_dir dir;
  auto db = dir.file("crm.db");
  constexpr int n = 300;
  countdown all{n};
  std::atomic<int> ok{0}, failed{0}, calls{0};
  {
    gc::actors::runtime rt{config_for(db)};
    REQUIRE(rt.write_sync([](gc::store::connection& c) -> int64_t {
      c.exec(gc::test::create_t_sql);
      return 0;
    }));
    for (int i = 0; i < n; ++i)
      rt.write(gc::test::insert_job("s" + std::to_string(i)), [&](gc::result<int64_t> r) {
        ++calls;
        (r ? ok : failed)++;
        all.done();
      });
    rt.shutdown();
    rt.shutdown();  // idempotent
    CHECK(rt.children_sync().empty());
  }  // destructor: already shut down
  REQUIRE(all.wait(10s));
  CHECK(calls == n);  // exactly once each
  CHECK(ok + failed == n);
  CHECK(gc::test::count_rows(db) == ok);  // every success is durable, no failure wrote
  auto wal = db + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
}

TEST_CASE("runtime: background_nice lowers the priority of every actor thread, not the caller's", "[actors][runtime]") {
  gc::test::temp_dir dir;
  const auto nice_of_this_thread = [] {
    errno = 0;
    return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  };
  const int base = nice_of_this_thread();
  gc::actors::runtime rt{config_for(dir.file("crm.db")), 5};

  // The store writer is a detached actor: its own thread.
  std::atomic<int> writer_nice{-100};
  REQUIRE(rt.write_sync([&](gc::store::connection&) -> int64_t {
    writer_nice = nice_of_this_thread();
    return 0;
  }).ok());
  CHECK(writer_nice == std::min(base + 5, 19));

  // A scheduled actor runs on a worker of the scheduler.
  auto p = std::make_shared<std::promise<int>>();
  auto f = p->get_future();
  rt.system().spawn([p, nice_of_this_thread](caf::event_based_actor*) { p->set_value(nice_of_this_thread()); });
  REQUIRE(f.wait_for(30s) == std::future_status::ready);
  CHECK(f.get() == std::min(base + 5, 19));

  CHECK(nice_of_this_thread() == base);  // the caller (HTTP threads, in serve) keeps its own
}

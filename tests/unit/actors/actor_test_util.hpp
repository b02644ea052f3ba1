#pragma once
// Helpers shared by the actor tests: a tiny table `t(id, v UNIQUE)` and write jobs on it.
#include "actors/messages.hpp"
#include "store/db.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>

namespace gc::test {

inline constexpr const char* create_t_sql =
  "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)";

// Inserts v and returns its row id (throws on a UNIQUE violation).
inline actors::write_fn insert_job(std::string v) {
  return [v](store::connection& c) -> int64_t {
    c.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, v).run();
    return c.last_insert_id();
  };
}

// Rows of t, read through a fresh read-only connection (committed data only).
inline int64_t count_rows(const std::string& db, const std::string& where = "1") {
  store::connection ro{db, store::open_mode::read_only};
  auto st = ro.prepare("SELECT count(*) FROM t WHERE " + where);
  st.step();
  return st.int64(0);
}

// A gate a write job can block on, so that the test controls what piles up behind it in
// the writer's mailbox. `entered` resolves once the job runs; `open()` lets it finish.
struct gate {
  std::promise<void> entered_p, open_p;
  std::shared_future<void> entered = entered_p.get_future().share();
  std::shared_future<void> opened = open_p.get_future().share();
  void open() { open_p.set_value(); }
  bool wait_entered(std::chrono::seconds limit = std::chrono::seconds(30)) {
    return entered.wait_for(limit) == std::future_status::ready;
  }
};

// Creates t, signals the gate, then blocks until the gate opens (at most 60 s).
inline actors::write_fn gate_job(std::shared_ptr<gate> g) {
  return [g](store::connection& c) -> int64_t {
    c.exec(create_t_sql);
    g->entered_p.set_value();
    g->opened.wait_for(std::chrono::seconds(60));
    return 0;
  };
}

} // namespace gc::test

#pragma once
// Internal to src/store: turns db_error thrown inside a repository call into gc::error.
#include "core/result.hpp"
#include "store/db.hpp"

#include <sqlite3.h>

#include <type_traits>

namespace gc::store::detail {

// Runs `f` (returning result<T>); a db_error becomes error{"sqlite", message}. The message
// holds SQLite's text and the start of the SQL, never bound values.
template <class F>
auto guarded(F&& f) -> std::invoke_result_t<F> {
  try {
    return f();
  } catch (const db_error& e) {
    return error{"sqlite", e.what()};
  }
}

// A deferred read transaction, so several statements read one snapshot; nothing when the
// connection is already inside a transaction.
class read_snapshot {
public:
  explicit read_snapshot(connection& c) : c_{c}, own_{sqlite3_get_autocommit(c.raw()) != 0} {
    if (own_) c_.exec("BEGIN");
  }
  ~read_snapshot() {
    if (own_ && !sqlite3_get_autocommit(c_.raw()))
      sqlite3_exec(c_.raw(), "COMMIT", nullptr, nullptr, nullptr);  // read-only: nothing to lose
  }
  read_snapshot(const read_snapshot&) = delete;
  read_snapshot& operator=(const read_snapshot&) = delete;

private:
  connection& c_;
  bool own_;
};

} // namespace gc::store::detail

#pragma once
// Internal to src/store: turns db_error thrown inside a repository call into gc::error.
#include "core/result.hpp"
#include "store/db.hpp"

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

} // namespace gc::store::detail

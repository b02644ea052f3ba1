#pragma once
// Helpers for the store tests: dump query results as text rows for comparisons.
#include "store/db.hpp"

#include <sqlite3.h>
#include <string>
#include <vector>

namespace gc::test {

// Every row of `sql` as "col0|col1|..." (NULL as "<null>").
inline std::vector<std::string> rows(store::connection& c, const std::string& sql) {
  store::statement st{c.raw(), std::string_view{sql}};
  std::vector<std::string> out;
  int n = sqlite3_column_count(st.raw());
  while (st.step()) {
    std::string row;
    for (int i = 0; i < n; ++i) {
      if (i) row += '|';
      row += st.is_null(i) ? "<null>" : st.text(i);
    }
    out.push_back(row);
  }
  return out;
}

inline int64_t scalar(store::connection& c, const std::string& sql) {
  store::statement st{c.raw(), std::string_view{sql}};
  return st.step() ? st.int64(0) : -1;
}

inline std::vector<std::string> schema(store::connection& c) {
  return rows(c, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
}

} // namespace gc::test

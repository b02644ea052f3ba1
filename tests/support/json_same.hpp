#pragma once
// Strict equality of two JSON values: same types all the way down (an unsigned 5 is not a
// signed 5), same members, same order. nlohmann's == compares numbers across types.
#include "core/json.hpp"

namespace gc::test {

inline bool json_same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !json_same(*ia, *ib)) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!json_same(a[i], b[i])) return false;
    return true;
  }
  return a == b || a.dump() == b.dump();  // floats: -0.0 == 0.0 but prints differently
}

} // namespace gc::test

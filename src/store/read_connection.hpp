#pragma once
// Read-only connections for HTTP handlers: one per worker thread and database file, opened on
// first use. Readers never go through the store writer and never wait for it (WAL).
#include "store/db.hpp"

#include <string>

namespace gc::store {

// This thread's read-only connection to `path`.
connection& read_connection(const std::string& path);

} // namespace gc::store

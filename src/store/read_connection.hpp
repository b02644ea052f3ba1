#pragma once
// Read-only connections: one per thread and database file, opened on first use. Readers never
// go through the store writer and never wait for it (WAL).
#include "store/db.hpp"

#include <string>

namespace gc::store {

// This thread's read-only connection to `path` (actors: the syncers' and fetchers' reads).
connection& read_connection(const std::string& path);

// This thread's read-only connection for serving the REST API. The database file is memory-
// mapped (up to api_mmap_bytes), so the random page reads of a listing are memory reads
// instead of a read() call per page. The mapped pages are the kernel's page cache: they show
// in the resident size of `serve` but are shared and reclaimable. The backfill's readers do not
// map (their peak RSS is a measured target, docs/benchmarks.md).
connection& api_read_connection(const std::string& path);

inline constexpr long long api_mmap_bytes = 1LL << 30;  // 1 GiB

} // namespace gc::store

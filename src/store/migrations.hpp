#pragma once
// Schema migrations: migrations/NNNN_name.sql, embedded into the binary at build time
// (cmake/embed_migrations.cmake) and applied in version order. Applied migrations are recorded
// in the ledger table gmail_capture_migrations(version, name, checksum, applied_at); the
// checksum is core::sha256_hex of the SQL text. Each migration runs with its ledger row in one
// BEGIN IMMEDIATE transaction, so it is applied completely or not at all. A migration may not
// contain BEGIN/COMMIT/ROLLBACK (refused), and PRAGMA foreign_keys is a no-op inside it.
#include "core/result.hpp"
#include "store/db.hpp"

#include <string>
#include <vector>

namespace gc::store {

struct migration {
  int version;        // NNNN of the file name
  std::string name;   // the file name, e.g. "0002_email_tables.sql"
  std::string sql;
};

// The migrations compiled into this binary, in version order (generated file).
std::vector<migration> embedded_migrations();

struct migrate_report {
  std::vector<int> applied;          // applied by this run, in order
  std::vector<int> already_applied;  // found in the ledger with a matching checksum
  std::vector<int> unknown;          // in the ledger but not in this binary (newer binary
                                     // rolled back): tolerated, logged, reported
};

// Applies every migration not yet in the ledger, in version order. Errors (gc::error::code):
//  "migration_invalid"  two migrations share a version, or a version is < 1
//  "migration_changed"  an applied migration's SQL changed; nothing is applied
//  "migration_failed"   a migration's SQL failed; that migration is rolled back completely,
//                       earlier ones in this run stay applied; the message names the file
//  "sqlite"             any other database error
result<migrate_report> migrate(connection& c,
                               const std::vector<migration>& migrations = embedded_migrations());

// Whether the database is fully migrated: ok, or "not_migrated" naming the pending files, or
// "migration_changed". Never writes (works on a read-only connection).
status check_migrations(connection& c,
                        const std::vector<migration>& migrations = embedded_migrations());

} // namespace gc::store

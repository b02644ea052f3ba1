#include "store/migrations.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"

#include <algorithm>
#include <map>
#include <sqlite3.h>

namespace gc::store {
namespace {

constexpr std::string_view ledger_ddl = R"(CREATE TABLE IF NOT EXISTS gmail_capture_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  checksum   TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
))";

struct ledger_row {
  std::string name;
  std::string checksum;
};
using ledger = std::map<int, ledger_row>;

ledger read_ledger(connection& c) {
  ledger out;
  auto st = c.prepare("SELECT version, name, checksum FROM gmail_capture_migrations");
  while (st.step())
    out[static_cast<int>(st.int64(0))] = ledger_row{st.text(1), st.text(2)};
  return out;
}

error changed_error(const migration& m, const ledger_row& row, const std::string& now) {
  return error{"migration_changed",
               "migration " + m.name + " was changed after it was applied (checksum " +
                   row.checksum + " in the ledger, " + now + " now)"};
}

// The migrations in version order; rejects duplicate or non-positive versions.
result<std::vector<const migration*>> ordered(const std::vector<migration>& ms) {
  std::vector<const migration*> out;
  for (const auto& m : ms) out.push_back(&m);
  std::stable_sort(out.begin(), out.end(),
                   [](const migration* a, const migration* b) { return a->version < b->version; });
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i]->version < 1)
      return error{"migration_invalid", "migration " + out[i]->name + " has version < 1"};
    if (i > 0 && out[i]->version == out[i - 1]->version)
      return error{"migration_invalid", "migrations " + out[i - 1]->name + " and " +
                                            out[i]->name + " share version " +
                                            std::to_string(out[i]->version)};
  }
  return out;
}

struct plan {
  std::vector<const migration*> pending;
  migrate_report report;
};

// Compares the ledger with the migrations. Every applied migration's checksum is checked
// before anything is applied.
result<plan> make_plan(const ledger& applied, const std::vector<const migration*>& ms) {
  plan p;
  for (const migration* m : ms) {
    auto it = applied.find(m->version);
    if (it == applied.end()) {
      p.pending.push_back(m);
      continue;
    }
    auto sum = core::sha256_hex(m->sql);
    if (sum != it->second.checksum) return changed_error(*m, it->second, sum);
    p.report.already_applied.push_back(m->version);
  }
  for (const auto& [version, row] : applied) {
    bool known = std::any_of(ms.begin(), ms.end(),
                             [v = version](const migration* m) { return m->version == v; });
    if (!known) p.report.unknown.push_back(version);
  }
  return p;
}

// While alive, statements that begin or end a transaction fail to prepare ("not authorized"):
// a migration must not commit half of itself.
class no_transaction_control {
public:
  explicit no_transaction_control(connection& c) : c_{c} {
    sqlite3_set_authorizer(c_.raw(), &check, this);
  }
  ~no_transaction_control() { sqlite3_set_authorizer(c_.raw(), nullptr, nullptr); }
  bool denied() const { return denied_; }

private:
  static int check(void* self, int action, const char*, const char*, const char*, const char*) {
    if (action != SQLITE_TRANSACTION) return SQLITE_OK;
    static_cast<no_transaction_control*>(self)->denied_ = true;
    return SQLITE_DENY;
  }
  connection& c_;
  bool denied_ = false;
};

// Applies one migration and its ledger row in one transaction. Returns false if another
// process applied it between planning and now.
result<bool> apply_one(connection& c, const migration& m) {
  auto sum = core::sha256_hex(m.sql);
  transaction tx{c};
  {
    auto check =
        c.prepare("SELECT name, checksum FROM gmail_capture_migrations WHERE version = ?1");
    check.bind(1, m.version);
    if (check.step()) {
      ledger_row row{check.text(0), check.text(1)};
      if (row.checksum != sum) return changed_error(m, row, sum);
      return false;
    }
  }
  {
    no_transaction_control guard{c};
    try {
      c.exec(m.sql);
    } catch (const db_error& e) {
      std::string why = guard.denied() ? " (BEGIN/COMMIT/ROLLBACK are not allowed in a migration)"
                                       : std::string{};
      return error{"migration_failed", "migration " + m.name + " failed: " + e.what() + why};
    }
  }
  c.prepare("INSERT INTO gmail_capture_migrations (version, name, checksum) VALUES (?1, ?2, ?3)")
      .bind(1, m.version)
      .bind(2, m.name)
      .bind(3, sum)
      .run();
  tx.commit();
  return true;
}

std::string names(const std::vector<const migration*>& ms) {
  std::string out;
  for (const migration* m : ms) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

} // namespace

result<migrate_report> migrate(connection& c, const std::vector<migration>& migrations) {
  auto ms = ordered(migrations);
  if (!ms) return ms.error();
  try {
    c.exec(ledger_ddl);
    auto p = make_plan(read_ledger(c), *ms);
    if (!p) return p.error();
    migrate_report report = std::move(p->report);
    for (int v : report.unknown)
      log::warn("migrations: the ledger has version {} which this binary does not know "
                "(a newer binary ran here); continuing",
                v);
    for (const migration* m : p->pending) {
      auto applied = apply_one(c, *m);
      if (!applied) return applied.error();
      if (*applied) {
        report.applied.push_back(m->version);
        log::info("migrations: applied {}", m->name);
      } else {
        report.already_applied.push_back(m->version);
      }
    }
    std::sort(report.already_applied.begin(), report.already_applied.end());
    return report;
  } catch (const db_error& e) {
    return error{"sqlite", e.what()};
  }
}

status check_migrations(connection& c, const std::vector<migration>& migrations) {
  auto ms = ordered(migrations);
  if (!ms) return ms.error();
  try {
    if (!c.table_exists("gmail_capture_migrations")) {
      if (ms->empty()) return ok_v;
      return error{"not_migrated", "database is not migrated (pending: " + names(*ms) + ")"};
    }
    auto p = make_plan(read_ledger(c), *ms);
    if (!p) return p.error();
    if (!p->pending.empty())
      return error{"not_migrated",
                   "database is not migrated (pending: " + names(p->pending) + ")"};
    return ok_v;
  } catch (const db_error& e) {
    return error{"sqlite", e.what()};
  }
}

} // namespace gc::store

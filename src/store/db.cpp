#include "store/db.hpp"

#include "core/log.hpp"

#include <chrono>
#include <mutex>
#include <sqlite3.h>

namespace gc::store {
namespace {

constexpr int64_t slow_transaction_ms = 200;
constexpr int64_t slow_lock_wait_ms = 1000;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The first 80 characters of the SQL on one line, for error messages.
std::string sql_excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char ch : sql) {
    bool ws = ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
    if (out.size() >= 80) break;
  }
  return out.substr(0, 80);
}

[[noreturn]] void fail(int code, std::string_view msg, std::string_view sql) {
  throw db_error(code, "sqlite: " + std::string{msg} + " (code " + std::to_string(code) +
                           ") in: " + sql_excerpt(sql));
}

[[noreturn]] void fail(sqlite3* db, std::string_view sql) {
  fail(sqlite3_extended_errcode(db), sqlite3_errmsg(db), sql);
}

} // namespace

void db_close::operator()(sqlite3* d) const noexcept { sqlite3_close_v2(d); }
void stmt_finalize::operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }

// ---- statement ---------------------------------------------------------------------------

statement::statement(sqlite3* db, std::string_view sql) : db_{db}, s_{nullptr} {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &raw, nullptr);
  owned_.reset(raw);
  if (rc != SQLITE_OK) fail(db, sql);
  if (!raw) fail(SQLITE_MISUSE, "empty statement", sql);
  s_ = raw;
}

statement::statement(sqlite3* db, sqlite3_stmt* cached) : db_{db}, s_{cached} {}

statement::statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use)
    : db_{db}, s_{cached}, in_use_{in_use} {}

statement::statement(statement&& o) noexcept
    : db_{o.db_}, owned_{std::move(o.owned_)}, s_{o.s_}, in_use_{o.in_use_} {
  o.s_ = nullptr;
  o.in_use_ = nullptr;
}

statement::~statement() {
  if (!s_ || owned_) return;  // owned statements are finalized by owned_
  sqlite3_reset(s_);          // ends the statement's read snapshot; bindings cleared on reuse
  if (in_use_) *in_use_ = false;
}

statement& statement::bind(int i, int64_t v) {
  if (int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK) fail(db_, sqlite3_sql(s_));
  return *this;
}

statement& statement::bind(int i, double v) {
  if (int rc = sqlite3_bind_double(s_, i, v); rc != SQLITE_OK) fail(db_, sqlite3_sql(s_));
  return *this;
}

statement& statement::bind(int i, std::string_view v) {
  // A null data pointer would bind SQL NULL; an empty string must stay an empty string.
  const char* data = v.data() ? v.data() : "";
  int rc = sqlite3_bind_text64(s_, i, data, v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, sqlite3_sql(s_));
  return *this;
}

statement& statement::bind_blob(int i, std::string_view v) {
  const char* data = v.data() ? v.data() : "";
  int rc = sqlite3_bind_blob64(s_, i, data, v.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, sqlite3_sql(s_));
  return *this;
}

statement& statement::bind_null(int i) {
  if (int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK) fail(db_, sqlite3_sql(s_));
  return *this;
}

bool statement::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(s_);
  int code = sqlite3_extended_errcode(db_);
  std::string msg = sqlite3_errmsg(db_);
  sqlite3_reset(s_);  // leave the statement reusable
  fail(code, msg, sql);
}

bool statement::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
int64_t statement::int64(int col) const { return sqlite3_column_int64(s_, col); }
double statement::real(int col) const { return sqlite3_column_double(s_, col); }

std::string statement::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

std::optional<std::string> statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<int64_t> statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

// ---- connection --------------------------------------------------------------------------

namespace {

// Below 128 KiB: SQLite 3.40 writes the in-memory journal to its file in chunks of this size,
// and its unix VFS writes at most 128 KiB - 1 bytes per call, so a chunk of 128 KiB or more
// fails with SQLITE_FULL once a journal outgrows it (db_test checks both sides).
constexpr int statement_journal_memory_bytes = 120 * 1024;

// Process-wide SQLite settings, before SQLite initializes (sqlite3_config refuses them after;
// then the defaults stay, which are correct, only slower).
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No global memory statistics (nothing here reads them): SQLite's malloc and free then
    // take no process-wide mutex, ~2% of the instructions of an ingest.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // Statement journals stay in memory up to 120 KiB (SQLite's default is 64 KiB). Inside
    // the store writer's transactions a statement that may fail halfway (an insert with
    // triggers or a UNIQUE index) keeps the pages it changes; past 64 KiB they went to a temp
    // file: 548k pwrite calls per 18k-message backfill, 2k now.
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, statement_journal_memory_bytes);
  });
}

} // namespace

connection::connection(const std::string& path, open_mode mode, int busy_timeout_ms)
    : path_{path} {
  configure_sqlite_once();
  bool ro = mode == open_mode::read_only;
  int flags = SQLITE_OPEN_NOMUTEX |
              (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);  // closes even if open failed
  if (rc != SQLITE_OK) {
    int code = raw ? sqlite3_extended_errcode(raw) : rc;
    fail(code, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc), "open " + path);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (ro) {
    // No mmap here: mapped pages count as the process's resident memory, and a backfill's
    // readers touch most of the file (peak RSS 251 MB instead of < 150 MB at 100k messages).
    // The REST API's readers map the file (store/read_connection.hpp).
    exec("PRAGMA foreign_keys=ON; PRAGMA query_only=1;");
    return;
  }
  auto st = statement{raw, std::string_view{"PRAGMA journal_mode=WAL"}};
  std::string jm = st.step() ? st.text(0) : "";
  if (jm != "wal" && path != ":memory:" && !path.empty())
    gc::log::warn("sqlite: journal_mode is '{}', not wal, for {}", jm, path);
  exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
}

void connection::exec(std::string_view sql) {
  // Statement by statement, so an error names the statement that failed.
  while (!sql.empty()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), 0, &raw,
                                &tail);
    stmt_ptr st{raw};
    if (rc != SQLITE_OK) fail(db_.get(), sql);
    size_t used = tail ? static_cast<size_t>(tail - sql.data()) : sql.size();
    if (raw) {
      for (;;) {
        rc = sqlite3_step(raw);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) fail(db_.get(), sql.substr(0, used));
      }
    }
    sql.remove_prefix(used);
  }
}

statement connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string{sql});
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    stmt_ptr st{raw};
    if (rc != SQLITE_OK) fail(db_.get(), sql);
    if (!raw) fail(SQLITE_MISUSE, "empty statement", sql);
    it = cache_.emplace(std::string{sql}, cached{std::move(st), false}).first;
  } else if (it->second.in_use) {
    return statement{db_.get(), sql};  // the cached one is still being read: use a fresh one
  }
  sqlite3_stmt* s = it->second.stmt.get();
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  it->second.in_use = true;
  return statement{db_.get(), s, &it->second.in_use};
}

int64_t connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }
int connection::changes() const { return sqlite3_changes(db_.get()); }

namespace {

template <class Cache>
int64_t stmt_status_total(const Cache& cache, int op) {
  int64_t n = 0;
  for (const auto& [sql, c] : cache) n += sqlite3_stmt_status(c.stmt.get(), op, 0);
  return n;
}

} // namespace

int64_t connection::full_scan_steps() const { return stmt_status_total(cache_, SQLITE_STMTSTATUS_FULLSCAN_STEP); }
int64_t connection::vm_steps() const { return stmt_status_total(cache_, SQLITE_STMTSTATUS_VM_STEP); }

bool connection::table_exists(std::string_view name) {
  auto st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  st.bind(1, name);
  return st.step();
}

// ---- transaction -------------------------------------------------------------------------

read_transaction::read_transaction(connection& c) : c_{c}, own_{!c.in_transaction()} {
  if (own_) c_.exec("BEGIN");
}

read_transaction::~read_transaction() {
  if (own_ && !sqlite3_get_autocommit(c_.raw()))  // only reads ran: ending it loses nothing
    sqlite3_exec(c_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

transaction::transaction(connection& c) : c_{c} {
  int64_t t0 = now_ns();
  c_.exec("BEGIN IMMEDIATE");
  began_ns_ = now_ns();
  int64_t waited_ms = (began_ns_ - t0) / 1'000'000;
  if (waited_ms > slow_lock_wait_ms)
    gc::log::warn("sqlite: waited {} ms for the write lock on {}", waited_ms, c_.path());
}

transaction::~transaction() {
  if (done_) return;
  if (!sqlite3_get_autocommit(c_.raw()))  // SQLite may already have rolled back on error
    sqlite3_exec(c_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
  log_if_slow("rolled back");
}

void transaction::commit() {
  c_.exec("COMMIT");
  done_ = true;
  log_if_slow("committed");
}

void transaction::log_if_slow(const char* outcome) const {
  int64_t held_ms = (now_ns() - began_ns_) / 1'000'000;
  if (held_ms > slow_transaction_ms)
    gc::log::warn("sqlite: slow transaction held the write lock {} ms ({}) on {}", held_ms,
                  outcome, c_.path());
}

// ---- savepoint ---------------------------------------------------------------------------

savepoint::savepoint(connection& c, std::string name) : c_{c}, name_{std::move(name)} {
  bool valid = !name_.empty();
  for (char ch : name_)
    valid = valid && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '_');
  if (!valid) fail(SQLITE_MISUSE, "invalid savepoint name", "SAVEPOINT " + name_);
  elided_ = c_.all_or_nothing();
  if (!elided_) c_.exec("SAVEPOINT \"" + name_ + "\"");
}

savepoint::~savepoint() {
  if (done_) return;
  if (elided_) {
    c_.broken_ = true;
    return;
  }
  std::string sql = "ROLLBACK TO \"" + name_ + "\"; RELEASE \"" + name_ + "\"";
  sqlite3_exec(c_.raw(), sql.c_str(), nullptr, nullptr, nullptr);
}

void savepoint::release() {
  if (!elided_) c_.exec("RELEASE \"" + name_ + "\"");
  done_ = true;
}

} // namespace gc::store

namespace gc::store {

bool connection::in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

void connection::set_all_or_nothing(bool on) {
  all_or_nothing_ = on;
  broken_ = false;
}

void connection::checkpoint_truncate() { exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

} // namespace gc::store

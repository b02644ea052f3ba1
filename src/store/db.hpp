#pragma once
// RAII SQLite: a connection with cached prepared statements, statements that bind and read
// columns, and BEGIN IMMEDIATE transactions that roll back unless committed.
// Throws store::db_error inside; callers at module edges convert to gc::result.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace gc::store {

class db_error : public std::runtime_error {
public:
  db_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }  // SQLite extended result code
private:
  int code_;
};

struct db_close { void operator()(sqlite3* d) const noexcept; };
struct stmt_finalize { void operator()(sqlite3_stmt* s) const noexcept; };
using db_ptr = std::unique_ptr<sqlite3, db_close>;
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalize>;

// A prepared statement. Bind parameters are 1-based, columns 0-based. `step()` returns true
// while a row is available. Reset happens automatically when the statement is reused from
// the cache. A borrowed statement is also reset when it goes away, so a half-read SELECT never
// keeps its read snapshot open; while it is alive, `prepare` of the same SQL hands out a fresh
// uncached statement instead of resetting this one.
class statement {
public:
  statement(sqlite3* db, std::string_view sql);           // owning (uncached)
  statement(sqlite3* db, sqlite3_stmt* cached);            // borrowed from the cache
  ~statement();
  statement(statement&& o) noexcept;
  statement& operator=(statement&&) = delete;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, int64_t v);
  statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  statement& bind(int i, double v);
  statement& bind(int i, std::string_view v);             // text, copied
  statement& bind(int i, const char* v) { return bind(i, std::string_view{v}); }
  statement& bind(int i, const std::string& v) { return bind(i, std::string_view{v}); }
  statement& bind_blob(int i, std::string_view v);
  statement& bind_null(int i);
  template <class T>
  statement& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }

  bool step();                                              // true = row ready
  void run() { while (step()) {} }                          // execute to completion

  bool is_null(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;                          // NULL -> ""
  std::optional<std::string> opt_text(int col) const;
  std::optional<int64_t> opt_int64(int col) const;

  sqlite3_stmt* raw() const { return s_; }

private:
  friend class connection;
  statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use);
  sqlite3* db_;
  stmt_ptr owned_;
  sqlite3_stmt* s_;
  bool* in_use_ = nullptr;                                  // the cache entry's flag
};

enum class open_mode { read_write, read_only };

class connection {
public:
  // Opens (creating if read_write) the file; sets WAL, foreign_keys=ON, synchronous=NORMAL,
  // busy_timeout, extended result codes. Read-only connections use query_only.
  explicit connection(const std::string& path, open_mode mode = open_mode::read_write,
                      int busy_timeout_ms = 5000);

  void exec(std::string_view sql);                          // one or more statements, no rows
  // A statement from this connection's cache (prepared once per SQL text).
  statement prepare(std::string_view sql);
  int64_t last_insert_id() const;
  int changes() const;
  bool table_exists(std::string_view name);
  bool in_transaction() const;                              // inside BEGIN ... COMMIT
  void checkpoint_truncate();                               // PRAGMA wal_checkpoint(TRUNCATE)
  sqlite3* raw() const { return db_.get(); }
  const std::string& path() const { return path_; }
  // Rows that this connection's cached statements stepped through in full-table scans since
  // each was prepared (SQLITE_STMTSTATUS_FULLSCAN_STEP). A write path whose count grows with
  // the database slows down as the mailbox grows: tests compare it before and after a write.
  int64_t full_scan_steps() const;
  // Virtual-machine steps of the same statements (SQLITE_STMTSTATUS_VM_STEP): the work a query
  // did, for tests that check it does not grow with rows it should not read.
  int64_t vm_steps() const;

  // All-or-nothing mode, for an owner that can redo its whole transaction (the store writer):
  // savepoints are not opened, so SQLite copies no page into a savepoint journal (measured at
  // ~33 page writes per stored email). A savepoint left without release() then cannot undo its
  // part: it marks the transaction broken, and the owner must roll back all of it.
  void set_all_or_nothing(bool on);                         // also clears broken()
  bool all_or_nothing() const { return all_or_nothing_; }
  bool broken() const { return broken_; }

private:
  friend class savepoint;  // marks broken()
  struct cached {
    stmt_ptr stmt;
    bool in_use = false;
  };
  std::string path_;
  db_ptr db_;
  std::unordered_map<std::string, cached> cache_;           // node-based: flags stay put
  bool all_or_nothing_ = false;
  bool broken_ = false;
};

// BEGIN IMMEDIATE in the constructor; ROLLBACK in the destructor unless commit() ran.
// Logs a warning when BEGIN waited > 1 s for the write lock or the lock was held > 200 ms.
class transaction {
public:
  explicit transaction(connection& c);
  ~transaction();
  void commit();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

private:
  void log_if_slow(const char* outcome) const;
  connection& c_;
  bool done_ = false;
  int64_t began_ns_ = 0;                                    // steady_clock, after BEGIN
};

// BEGIN (deferred) in the constructor, its end in the destructor: several reads from one
// snapshot, on a read-only connection too. Opens nothing inside a transaction.
class read_transaction {
public:
  explicit read_transaction(connection& c);
  ~read_transaction();
  read_transaction(const read_transaction&) = delete;
  read_transaction& operator=(const read_transaction&) = delete;

private:
  connection& c_;
  bool own_;
};

// SAVEPOINT scoped inside a transaction; rolls back to itself unless released.
// `name` must be [A-Za-z0-9_]+. On an all-or-nothing connection it opens nothing, and instead
// of rolling back it marks the connection broken().
class savepoint {
public:
  savepoint(connection& c, std::string name);
  ~savepoint();
  void release();
  savepoint(const savepoint&) = delete;
  savepoint& operator=(const savepoint&) = delete;

private:
  connection& c_;
  std::string name_;
  bool done_ = false;
  bool elided_ = false;
};

} // namespace gc::store

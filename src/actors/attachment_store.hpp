#pragma once
// Content-addressed attachment files: CRM_DATA_DIR/email_attachments/<first 2 hex>/<sha256 hex>
// (no extension; the content type lives in the database). Identical bytes are stored once.
//
// put() writes a temp file in the target's directory, fsyncs it, renames it over the target
// (atomic: readers see the whole file or none) and fsyncs the directory. When the target
// already exists with the right size the bytes are not written again. Blocking (fsync): call
// it from a detached actor or a plain thread, never from a cooperatively scheduled actor.
// Errors (gc::error::code): "io" (with the failing step and errno text; never file contents).
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace gc::actors {

struct put_result {
  std::string sha256;          // 64 lowercase hex digits
  std::string storage_path;    // relative to the data directory: "email_attachments/ab/ab12…"
  int64_t size = 0;
  bool existed = false;        // the file was already there: nothing was written
};

class attachment_store {
public:
  explicit attachment_store(std::string data_dir);  // CRM_DATA_DIR

  // "email_attachments/<first 2 hex>/<sha256 hex>"; sha256 must be 64 hex digits.
  static std::string relative_path(std::string_view sha256_hex);
  std::string absolute_path(std::string_view storage_path) const;
  std::string root() const;                          // <data_dir>/email_attachments

  // True when `storage_path` names a regular file of `size` bytes (size < 0: any size).
  bool has(std::string_view storage_path, int64_t size = -1) const;

  // `sha256_hex`: the bytes' SHA-256 when the caller has it already (64 hex digits; empty:
  // computed here). The file is named by it, so it must be the hash of `bytes`.
  gc::result<put_result> put(std::string_view bytes, std::string_view sha256_hex = {}) const;

  // Removes temp files left by a crash that are older than `min_age` (a temp younger than
  // that may belong to a writer still running). Returns how many were removed.
  int sweep_temp_files(std::chrono::seconds min_age = std::chrono::hours(1)) const;

private:
  std::string data_dir_;
};

} // namespace gc::actors

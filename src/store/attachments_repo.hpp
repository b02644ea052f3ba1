#pragma once
// The attachment side of captured mail (design.md "attachment_fetcher"): which stubs of
// email_attachments still need their file, where to download them from, and their outcome.
//
// A stub (status 'pending', written by email_repo::store_message) becomes 'stored' (sha256 +
// storage_path), 'too_large' (over CRM_GMAIL_MAX_ATTACHMENT_MB, never downloaded again) or
// 'failed' (error text, attempts + 1). A failed row is due again once its last attempt
// (updated_at) is older than 2^attempts minutes; after max_attempts it stays 'failed'.
// Only attachments of MATCHED emails are fetched: unmatched mail is metadata-only until a
// rematch matches it.
//
// Reads (pending, due, find_by_sha) work on any connection (read_connection for the fetcher).
// Mutations are single statements meant for a store-writer job (they never BEGIN/COMMIT).
// Errors (gc::error::code): "sqlite", "not_found" (no row with that id), "invalid".
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

// A stub to fetch, with the mailbox copy to fetch it from.
struct pending_attachment {
  int64_t id = 0;
  int64_t email_id = 0;
  std::string part_id;
  std::string filename;
  std::string mime_type;
  int64_t size = 0;                     // Gmail's body.size of the stub (0 when unknown)
  std::string status;                   // 'pending' | 'failed'
  int64_t attempts = 0;
  // The source: the stub's own sighting while it is not deleted from its mailbox, otherwise
  // another live sighting of the same email (then gmail_attachment_id is "": ids are scoped
  // to one message, so the fetcher re-reads the message to find the part's current id).
  // nullopt account_id: no mailbox holds a live copy any more.
  std::optional<int64_t> account_id;
  std::string account_email;
  std::string gmail_message_id;
  std::string gmail_attachment_id;      // "" when unknown (inline part, or a switched source)
  bool source_switched = false;         // the source is not the stub's recorded one
};

// A file already in the content store.
struct stored_file {
  std::string sha256;                   // 64 lowercase hex digits
  std::string storage_path;             // relative to CRM_DATA_DIR
  int64_t size = 0;
};

class attachments_repo {
public:
  static constexpr int64_t max_attempts = 8;

  explicit attachments_repo(connection& c) : c_{c} {}

  // Pending rows and failed rows that are due, of matched emails only, oldest first (by id),
  // those with an id above `after` (a reader's place in the table: each row is read once).
  // `now` is an ISO-8601 UTC time ("2025-01-01T00:00:00.000Z"); empty = the current time.
  result<std::vector<pending_attachment>> pending(int limit, std::string_view now = {}, int64_t after = 0);
  // The rows of `ids` that are still due (same rules as pending), in the order of `ids`, read
  // from one snapshot (a read transaction of its own unless the connection is inside one).
  result<std::vector<pending_attachment>> due(const std::vector<int64_t>& ids, std::string_view now = {});

  // status 'stored' with the file's hash, path (relative to CRM_DATA_DIR) and real size;
  // clears the error.
  status mark_stored(int64_t id, std::string_view sha256, std::string_view storage_path, int64_t size);
  // status 'too_large' (final); `size` records the real size when it was downloaded.
  status mark_too_large(int64_t id, std::optional<int64_t> size = std::nullopt);
  // status 'failed', the reason (no secrets), attempts + 1, updated_at = now (backoff clock).
  status mark_failed(int64_t id, std::string_view error);
  // As mark_failed but without counting an attempt: the failure was not the attachment's
  // (credentials refused, quota) and must not use up its attempts.
  status mark_deferred(int64_t id, std::string_view error);

  // A stored file with this hash (any row), for dedup: nullopt when none.
  result<std::optional<stored_file>> find_by_sha(std::string_view sha256);

  // A fresh attachment id for the stub (Gmail ids may change between fetches).
  status update_attachment_id(int64_t id, std::string_view new_id);
  // A new source sighting and its attachment id (the old source's message is gone).
  status update_source(int64_t id, int64_t account_id, std::string_view gmail_message_id,
                       std::string_view attachment_id);

private:
  status changed_one(const char* what);
  connection& c_;
};

} // namespace gc::store

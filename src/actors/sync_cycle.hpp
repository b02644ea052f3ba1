#pragma once
// One sync cycle of one mailbox (design.md "Sync state machine"), run on a blocking thread:
//   full sync:   getProfile.historyId first; messages.list page by page; fetch what this mailbox
//                has not sighted (batches, or threads.get when the cost table makes it cheaper);
//                each page's messages are committed together with the page cursor; after the
//                last page the cursor becomes the historyId read first;
//   incremental: history.list from the stored historyId; adds, deletes, label changes; the new
//                historyId is committed in the same transaction as the data it covers;
//   history 404 or a cursor older than CRM_GMAIL_HISTORY_STALE_DAYS: full sync again (dedup
//                makes it safe).
// A message that fails permanently is recorded in email_skipped_messages with its reason; a
// retryable failure holds the cursor. Nothing is dropped silently.
#include "actors/gmail_gate.hpp"
#include "actors/runtime.hpp"
#include "core/matching.hpp"
#include "gmail/client.hpp"
#include "store/email_records.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace gc::actors {

struct sync_options {
  int page_size = 500;                 // CRM_GMAIL_BACKFILL_PAGE_SIZE
  int batch_size = 10;                 // inner calls per batch (≤ 50, ≤ the in-flight cap)
  int history_stale_days = 5;          // CRM_GMAIL_HISTORY_STALE_DAYS
  int part_retry_rounds = 5;           // re-batching of failed parts
};

struct sync_deps {
  gmail::client& gmail;
  gmail_gate& gate;
  // Durable write through the store writer (blocking).
  std::function<gc::result<int64_t>(runtime::write_fn)> write;
  std::string db_path;                 // read-only reads of cursors and sightings
  std::function<std::shared_ptr<const core::match_index>()> snapshot;
  sync_options opts;
};

struct sync_report {
  std::string kind;                    // full | incremental
  int64_t seen = 0, stored = 0, skipped = 0;
  int64_t quota_units = 0;
  std::optional<std::string> error;    // plain words; the cursor was held
};

// Runs one cycle for the account and records it in email_sync_runs and on the account row.
sync_report run_sync_cycle(const sync_deps& deps, int64_t account_id);

// --- internals shared by sync_cycle.cpp and sync_fetch.cpp ---

struct fetched {
  std::vector<std::pair<store::email_rec, store::sighting_rec>> messages;
  std::vector<store::skipped_rec> skipped;
  std::vector<std::string> failed_ids;   // still failing with a retryable error
  std::optional<std::string> error;      // the last such error, in plain words
};

struct id_ref {
  std::string id, thread_id;
};

// Fetches (format=full), parses and converts `ids` of one mailbox.
fetched fetch_messages(const sync_deps& deps, int64_t account_id, const std::string& mailbox,
                       const std::vector<id_ref>& ids);

// Current labels of already-sighted messages (format=minimal), for a full re-sync after lost
// history. Ids Gmail no longer has are listed in `gone`.
struct label_refresh {
  std::vector<std::pair<std::string, std::vector<std::string>>> labels;
  std::vector<std::string> gone;
  std::vector<std::string> failed_ids;
  std::optional<std::string> error;
};
label_refresh refresh_labels(const sync_deps& deps, const std::string& mailbox, const std::vector<std::string>& ids);

} // namespace gc::actors

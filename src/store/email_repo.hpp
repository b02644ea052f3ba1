#pragma once
// The write path of captured mail (design.md "Data", "Sync state machine"): one emails row per
// real email however many mailboxes saw it, per-mailbox sightings carrying labels and the soft
// delete, investor links, attachment stubs, threads (store/email_threads.hpp) and the full-text
// index (store/email_search_repo.hpp).
//
// Meant to run inside the store writer's transaction (a write_fn): it never BEGINs or COMMITs.
// Each mutating call runs in its own SAVEPOINT, so it is applied completely or not at all, and
// every call is idempotent: replaying a batch leaves every row as it was (timestamps included;
// an UPDATE happens only when a value changes). record_skip is the one counter (attempts).
//
// Errors (gc::error::code): "invalid" (empty keys, bad reason), "sqlite" (including a foreign
// key failure: unknown account or investor).
#include "core/result.hpp"
#include "store/db.hpp"
#include "store/email_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

class email_repo {
public:
  explicit email_repo(connection& c) : c_{c} {}

  // Upserts the email by dedup_key (the first copy creates it; a later copy with a body fills
  // a metadata-only row; a body is never replaced or cleared), decides direction (outbound iff
  // from.email is an email_accounts address, ignoring case), adds links (is_matched = any
  // link), attachment stubs (pending), resolves the thread, indexes it for search, upserts the
  // sighting (labels, is_sent = SENT, deleted_at set while TRASH/SPAM is present, cleared
  // otherwise; a 'deleted' sighting stays deleted) and removes a skip record of that id.
  result<store_outcome> store_message(const email_rec& email, const sighting_rec& sighting);

  // store_message for a whole batch: all messages in one savepoint; if any write fails, that is
  // rolled back and the batch is stored again message by message, each in its own savepoint (a
  // failing one rolled back alone and reported in its slot). The search-index rows and the thread
  // aggregates (email_threads counts, dates, subject) are written once, after the last one.
  // FTS5 flushes its pending index at every SAVEPOINT, so indexing inside the per-message
  // savepoint would write one index segment per message. The outer error means that final
  // write failed: the caller must abandon the transaction.
  using message_batch = std::vector<std::pair<email_rec, sighting_rec>>;
  result<std::vector<result<store_outcome>>> store_messages(const message_batch& batch);

  // Upsert into email_skipped_messages: attempts+1, last_at = now, first_at kept.
  status record_skip(const skipped_rec& skip);

  // Soft-deletes the sighting only (history messagesDeleted: reason "deleted"; or "trash" /
  // "spam"). "deleted" is final: later label changes never revive it. False when this mailbox
  // has no such sighting or nothing changed.
  result<bool> mark_deleted(int64_t account_id, std::string_view gmail_message_id,
                            std::string_view reason = "deleted");

  // history labelsAdded / labelsRemoved: updates label_ids and is_sent, and recomputes the
  // soft delete from TRASH/SPAM. False when there is no such sighting or nothing changed.
  result<bool> apply_labels(int64_t account_id, std::string_view gmail_message_id,
                            const std::vector<std::string>& labels_added,
                            const std::vector<std::string>& labels_removed);

  // The subset of gmail_ids this mailbox has already sighted (deleted sightings included), in
  // the order given. Lets the syncer skip fetching them.
  result<std::vector<std::string>> sighted_ids(int64_t account_id,
                                               const std::vector<std::string>& gmail_ids);

  // Gmail ids of this mailbox's sightings not marked permanently deleted (a full re-sync
  // compares them with what Gmail still lists).
  result<std::vector<std::string>> live_sighting_ids(int64_t account_id);
  result<std::optional<int64_t>> email_id_for(int64_t account_id,
                                              std::string_view gmail_message_id);

private:
  connection& c_;
};

} // namespace gc::store

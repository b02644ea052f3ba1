#pragma once
// Plain records a mailbox syncer hands to the store (email_repo::store_message and friends).
// The syncer converts its parsed message (gc::mime) into these; the store knows no MIME.
// Times are ISO-8601 UTC text ("2026-11-21T15:20:22.123Z") unless the name says _ms.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct address_rec {
  std::string name;
  std::string email;
};

struct attachment_rec {
  std::string part_id;               // Gmail payload partId; unique per email
  std::string filename;
  std::string mime_type;
  std::string content_id;            // without angle brackets; empty when none
  std::string gmail_attachment_id;   // body.attachmentId; empty when the data was inline
  int64_t size = 0;
};

// One investor match of an email (matcher_index decides, the store records).
struct link_rec {
  int64_t investor_id = 0;
  std::optional<int64_t> contact_id;
  std::string match_kind;            // "exact" | "domain"
  std::string matched_address;
};

// One real email, as parsed from one mailbox's copy.
struct email_rec {
  std::string dedup_key;             // core::dedup_key(): normalized Message-ID or "sha256:<hex>"
  std::optional<std::string> message_id;   // the Message-ID header as sent
  std::optional<std::string> in_reply_to;  // header value (may hold several ids)
  std::vector<std::string> references;     // References ids, in header order
  std::string subject;
  address_rec from;
  std::vector<address_rec> to, cc, bcc;
  std::optional<std::string> sent_at;      // Date header, ISO-8601 UTC
  int64_t internal_date_ms = 0;            // Gmail internalDate (this mailbox's copy)
  std::string snippet;
  std::optional<std::string> body_text;    // both nullopt = metadata only (unmatched)
  std::optional<std::string> body_html;
  int64_t size_estimate = 0;
  std::vector<attachment_rec> attachments;
  std::vector<link_rec> links;             // empty = unmatched
};

// This mailbox's sighting of the email.
struct sighting_rec {
  int64_t account_id = 0;
  std::string gmail_message_id;
  std::string gmail_thread_id;
  std::vector<std::string> label_ids;      // TRASH / SPAM soft-delete it; SENT sets is_sent
};

// A listed message that could not be stored (nothing is dropped silently).
struct skipped_rec {
  int64_t account_id = 0;
  std::string gmail_message_id;
  std::string reason;                      // "not_found" | "unparseable" | "permanent"
  std::string detail;                      // no secrets
};

// What store_message did.
struct store_outcome {
  int64_t email_id = 0;
  bool created = false;                    // a new emails row
  int64_t thread_id = 0;
  bool new_sighting = false;               // a new email_account_messages row
  bool body_filled = false;                // a metadata-only row received its body
};

} // namespace gc::store

#pragma once
// Read queries behind /api/email/threads, /messages/{id}/html and /attachments/{id}.
//
// Visibility: an email is live iff some sighting has deleted_at IS NULL (seed 004). A thread
// is shown iff it has a live email linked to an investor (a matched thread); the messages of a
// shown thread are its live emails, both directions, matched or not. The HTML body and the
// attachments of an email are served only when the email is live and its thread is shown:
// unmatched, personal mail never leaves through these routes.
//
// Works on a read-only connection (store::read_connection). Errors: "sqlite".
#include "core/result.hpp"
#include "store/db.hpp"
#include "store/email_read_rows.hpp"
#include "store/read_page.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct thread_summary {
  int64_t id = 0;
  std::string subject;
  int64_t message_count = 0;           // live messages (as of the listing's snapshot)
  int64_t last_ms = 0;                 // sort key
  std::string last_message_at;         // ISO-8601 of the latest live message
  int64_t last_email_id = 0;
  party last_from;
  std::string snippet;                 // of the latest live message
};

struct thread_message {
  int64_t id = 0;                      // emails.id
  std::optional<std::string> message_id;
  std::string subject;
  party from;
  std::vector<party> to, cc;
  std::optional<std::string> date;     // ISO-8601 (internalDate, else Date header)
  std::string direction;               // "inbound" | "outbound"
  std::string snippet;
  std::optional<std::string> body_text;  // null while metadata-only
  bool has_html = false;
  std::vector<mailbox_ref> mailboxes;
  std::vector<investor_ref> investors;
  std::vector<attachment_ref> attachments;
};

struct thread_detail {
  int64_t id = 0;
  std::string subject;
  std::vector<thread_message> messages;  // oldest first
};

// An HTML body and the inline parts it may reference by cid:.
struct html_body {
  std::string html;                    // "" when the message has no HTML body
  std::vector<attachment_ref> parts;   // this email's attachments (content_id may be "")
};

// A stored attachment file as the route serves it.
struct attachment_file {
  attachment_ref meta;
  std::string storage_path;            // relative to CRM_DATA_DIR; "" unless stored
};

class email_query_repo {
public:
  // max_unsettled: with more threads than this whose summary may not describe the listing's
  // snapshot (store/thread_summaries.hpp), the listing is aggregated from the base tables.
  explicit email_query_repo(connection& c, int max_unsettled = 200)
      : c_{c}, max_unsettled_{max_unsettled} {}

  // Matched threads of an investor, newest first by latest live message. `from` = nullopt
  // starts a new listing (a fresh snapshot); otherwise continues after it. limit >= 1.
  // Reads the maintained summaries, and aggregates from the base tables only the threads
  // whose summary counts mail newer than the snapshot or is being rebuilt.
  result<page<thread_summary>> investor_threads(int64_t investor_id, int limit,
                                                const std::optional<page_key>& from);

  // Whether investors has this id (graveyard or not).
  result<bool> investor_exists(int64_t investor_id);

  // nullopt when the thread does not exist or is not shown.
  result<std::optional<thread_detail>> thread(int64_t thread_id);

  // nullopt when the email does not exist or is not shown.
  result<std::optional<html_body>> message_html(int64_t email_id);

  // nullopt when the attachment does not exist or its email is not shown.
  result<std::optional<attachment_file>> attachment(int64_t attachment_id);

private:
  connection& c_;
  int max_unsettled_;
};

} // namespace gc::store

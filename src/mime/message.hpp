#pragma once
// The canonical message: what the capture pipeline stores, whatever the source (Gmail
// format=full JSON or raw RFC 822). Pure data; every string is valid UTF-8 except
// attachment::data, which holds raw bytes.
#include "core/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::mime {

// One mailbox. Groups ("Team: a@x, b@y;") are flattened into their members, which carry the
// group's display name in `group`; an empty group ("undisclosed-recipients:;") adds nothing.
struct address {
  std::string name;        // display name, RFC 2047-decoded UTF-8 ("" when absent)
  std::string email;       // for matching: ASCII lower-cased (as core/email_address.hpp does),
                           // IDN domain as UTF-8 ("a@bücher.example", never "xn--")
  std::string email_raw;   // as written, except the IDN domain is UTF-8 too
  std::string group;       // enclosing group's name, "" when not in a group
};

// Summary of a message/rfc822 part (a forwarded or attached email). Its own attachments are
// listed in message::attachments with part ids under the rfc822 part's id.
struct embedded_message {
  std::string message_id;  // normalized (see normalize_message_id)
  std::string subject;
  std::optional<address> from;
  std::vector<address> to;
  std::vector<address> cc;
  std::optional<std::string> date;  // ISO-8601 UTC
};

struct attachment {
  std::string part_id;       // Gmail partId ("" root, "0", "1.0", ...); same numbering on both paths
  std::string filename;      // RFC 2231/2047-decoded; "" when the part has none
  std::string mime_type;     // lower-case "type/subtype"
  int64_t size = 0;          // decoded bytes (Gmail body.size on the JSON path)
  std::string content_id;    // without <>, "" when absent (cid: references from HTML)
  std::string disposition;   // "inline" or "attachment"
  std::string gmail_attachment_id;     // only on the JSON path when Gmail gave one
  // The decoded bytes whenever the source carried them inline (always on the raw path; on the
  // JSON path when body.data was present). nullopt: fetch with attachments.get.
  std::optional<std::string> data;
  std::optional<embedded_message> embedded;  // mime_type message/rfc822 only
};

struct message {
  // Identity and threading. message_id_raw is the header as sent (unfolded, trimmed);
  // message_id is normalized, "" when missing or malformed (then use fallback_key()).
  std::string message_id_raw;
  std::string message_id;
  std::string in_reply_to;                // normalized, "" when absent
  std::vector<std::string> references;   // normalized, in header order

  std::string subject;                   // decoded UTF-8
  std::optional<address> from;
  std::vector<address> sender;           // Sender: (rarely differs from From)
  std::vector<address> to, cc, bcc, reply_to;

  std::string date_raw;                  // Date header as sent
  std::optional<std::string> date;       // ISO-8601 UTC ("2026-11-21T15:20:22.000Z"), nullopt if unparseable
  std::optional<int64_t> internal_date_ms;  // Gmail internalDate (JSON path / when given)

  std::string text_body;                 // text/plain preferred, else text from the HTML
  bool text_from_html = false;           // text_body was derived from html_body
  std::string html_body;                 // UTF-8 HTML as sent ("" when none)
  std::vector<attachment> attachments;   // depth first, in part order

  // Mailing-list / automation signals (lower-cased header values, "" when absent).
  std::string list_id;                   // List-Id without <> ("dev.lists.example.org")
  bool has_list_unsubscribe = false;
  std::string auto_submitted;            // "auto-replied", "auto-generated", ... ("no" -> "")
  std::string precedence;                // "bulk", "list", "junk", ...
  bool automated = false;                // any of the above says "not a person writing"

  // Gmail metadata (JSON path, or set by the caller on the raw path).
  std::string gmail_id, gmail_thread_id, history_id, snippet;
  std::vector<std::string> label_ids;

  std::vector<std::string> parse_warnings;  // human-readable, e.g. "broken Date header: ..."
};

// Strips <> and surrounding whitespace/comments, lower-cases the domain (the part after the
// last '@') and keeps the local part as is: RFC 5322 local parts are case-sensitive, domains
// are not, and senders never change the local part's case between copies of one mail. Returns
// "" for an empty or malformed id (whitespace, control characters, '<' or '>' inside, over
// 998 bytes).
std::string normalize_message_id(std::string_view raw);

// "sha256:<64 hex>" over a canonical JSON array of fields that are identical in every copy of
// one email whatever mailbox or fetch format it came from: parsed date (or the raw Date text),
// From email, sorted To and Cc emails, subject, and SHA-256 of the text body with all
// whitespace runs collapsed. Left out on purpose: Bcc (only the sender's copy has it), Gmail
// ids/labels/internalDate (per mailbox), Received/transport headers, attachment ids (change per
// fetch), and body bytes before decoding (transfer encoding and line ends differ).
std::string fallback_key(const message& m);

// The canonical message as JSON. Attachment bytes are omitted (only "has_data" and a "sha256"
// of them) unless include_data, which adds "data" base64.
json to_json(const message& m, bool include_data = false);
json to_json(const address& a);

} // namespace gc::mime

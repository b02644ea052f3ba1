#pragma once
// Entry points: raw RFC 822 bytes or a Gmail format=full Message -> canonical message.
// Both never throw and never crash on any input; an error (code "unparseable", message = the
// reason) means nothing useful could be read. Recoverable damage gives a message with
// parse_warnings instead. Thread-safe: any number of threads may parse concurrently.
#include "core/json.hpp"
#include "core/result.hpp"
#include "mime/message.hpp"

#include <functional>
#include <string_view>

namespace gc::mime {

inline constexpr int max_depth = 32;                       // MIME / rfc822 nesting levels kept
inline constexpr size_t max_html_for_text = 4u << 20;      // HTML bytes turned into text

// Gmail format=raw after base64url decoding is exactly this.
result<message> parse_rfc822(std::string_view raw);

// The addresses that decide matching: From, To, Cc, Bcc of the message's own headers.
struct participants {
  std::optional<address> from;
  std::vector<address> to, cc, bcc;
};

// A Gmail Message resource (users.messages.get format=full, or format=raw: then "raw" is
// decoded and parsed as RFC 822). Also accepts a bare MessagePart (an object with "mimeType").
// Gmail fields: id, threadId, labelIds, snippet, historyId, internalDate (string or number).
// `bodies` false: headers, structure and sizes only (no part data decoded: text_body and
// html_body stay empty) — at a fraction of the cost; unmatched mail is stored without its body
// anyway. `bodies_if`, when set, decides `bodies` of a format=full message from its
// participants, read before the parts and not read again: the syncer stores the bodies of
// matched mail only. It is not called for format=raw (always parsed whole).
struct gmail_parse_options {
  bool bodies = true;
  std::function<bool(const participants&)> bodies_if;
};
result<message> parse_gmail_json(const json& gmail_message, gmail_parse_options opts = {});

// The same, from the fields already read (mime/gmail_input.hpp: read_gmail_message reads them
// straight from the text).
struct gmail_message_in;
result<message> parse_gmail_input(const gmail_message_in& gmail_message, gmail_parse_options opts = {});

} // namespace gc::mime

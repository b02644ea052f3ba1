#pragma once
// Internal to gc_mime. Both front ends (GMime for raw RFC 822, the Gmail MessagePart JSON
// walker) build the same part_node tree; one assembler turns it into the canonical message,
// so the two paths cannot drift apart.
#include "mime/gobj.hpp"
#include "mime/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::mime::detail {

struct header_field {
  std::string name;
  std::string value;   // unfolded and trimmed; RFC 2047 words still encoded
};

struct part_node {
  std::string part_id;                 // Gmail numbering: "" root, "0", "0.1", ...
  std::string mime_type;               // lower-case type/subtype
  std::string charset;                 // Content-Type charset as given, "" when none
  std::string filename;                // decoded (RFC 2231/2047)
  std::string disposition;             // lower-case, "" when none
  std::string content_id;              // without <>
  std::optional<std::string> body;     // decoded bytes (no transfer encoding); nullopt = not inline
  int64_t size = 0;
  std::string gmail_attachment_id;
  std::vector<header_field> headers;   // this part's headers (message headers on message roots)
  std::vector<part_node> children;     // multipart children, or [inner root] for message/rfc822
};

// Per-parse state: the parse's own GMime options (their warning callback points here) and
// the warnings collected so far (deduplicated, capped).
// Not movable: the options' warning callback holds the context's address.
struct context {
  context();
  context(const context&) = delete;
  context& operator=(const context&) = delete;
  parser_options_ptr options;
  std::vector<std::string> warnings;
  bool depth_warned = false;
  bool skip_bodies = false;  // Gmail JSON: leave part data undecoded (parse_gmail_json bodies=false)
  void warn(std::string text);
};

// ---- header helpers (headers.cpp) ----
std::string unfold(std::string_view raw);
const std::string* find_header(const std::vector<header_field>& hs, std::string_view name);
bool iequals(std::string_view a, std::string_view b);
std::string ascii_lower(std::string_view s);
std::string trim(std::string_view s);
std::string decode_text(context& cx, const std::string& value);       // RFC 2047 + 8-bit -> UTF-8
std::vector<address> parse_addresses(context& cx, const std::string& value);
// Every address in every header called `name` (duplicated To/Cc headers are merged).
std::vector<address> addresses_of(context& cx, const std::vector<header_field>& hs, std::string_view name);
std::optional<std::string> parse_date(const std::string& value);     // -> ISO-8601 UTC
std::vector<std::string> parse_message_ids(context& cx, const std::string& value);  // normalized

// ---- charsets (charset.cpp) ----
std::string make_valid_utf8(std::string s);
// Charset names worth asking iconv about (GMime caches every name it is given, forever).
bool plausible_charset_name(std::string_view name);
// Bytes in `charset` -> UTF-8. Unknown charsets and undeclared 8-bit text fall back to
// windows-1252 (a superset of latin-1 for text) with a warning naming `where`.
std::string to_utf8(context& cx, std::string_view bytes, std::string_view charset, std::string_view where);

// ---- front ends and assembler ----
// Converts a GMime object tree (rfc822.cpp); also used by the JSON path for message/rfc822
// parts whose bytes Gmail sent inline.
std::optional<part_node> parse_bytes_to_tree(context& cx, std::string_view raw, const std::string& id, int depth);
// An address header read before the assembly (the matching decision needs it first): the list
// and the warnings its parse gave, which assemble replays in place so that the message's
// warnings keep the order of a single pass.
struct parsed_addresses {
  std::vector<address> list;
  std::vector<std::string> warnings;
};
struct root_addresses {
  parsed_addresses from, to, cc, bcc;
};
root_addresses read_root_addresses(const std::vector<header_field>& hs);
// `pre`: the root's From/To/Cc/Bcc already read (taken, not parsed again).
message assemble(context& cx, const part_node& root, root_addresses* pre = nullptr);
std::string child_id(const std::string& parent, size_t index);

} // namespace gc::mime::detail

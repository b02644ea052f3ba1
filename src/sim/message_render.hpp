#pragma once
// A MIME message as a tree, rendered two ways from the same tree: RFC 822 text (format=raw)
// and Gmail's MessagePart JSON (format=full/metadata). Generated mail is built as a tree;
// real mail (.eml, mbox, drafts.create) is split into one by mime_split.hpp.
#include "core/json.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gc::sim {

struct mail_part {
  std::vector<std::pair<std::string, std::string>> headers;  // as written; values unfolded
  std::string body;               // leaf: decoded bytes (no transfer encoding)
  std::vector<mail_part> parts;   // multipart/*: children; message/rfc822: the inner message
  std::string preamble;           // multipart only (text before the first boundary)

  const std::string* header(std::string_view name) const;      // first, case-insensitive
  std::string header_or(std::string_view name, std::string fallback = {}) const;
  std::string mime_type() const;     // lower-case; default text/plain
  std::string charset() const;       // lower-case; "" if none
  std::string filename() const;      // Content-Disposition filename / Content-Type name
  bool is_multipart() const;
  bool is_message() const;           // message/rfc822 with a parsed inner message
};

// RFC 822 text, CRLF line ends. Transfer encodings follow each part's
// Content-Transfer-Encoding header; boundaries come from Content-Type.
std::string render_raw(const mail_part& root);

struct payload_options {
  bool headers_only = false;                     // format=metadata
  std::vector<std::string> header_filter;        // metadataHeaders (case-insensitive)
  size_t large_body_threshold = 0;               // text parts above -> attachmentId; 0 = never
  // Makes an attachmentId for the part with this partId.
  std::function<std::string(const std::string& part_id)> attachment_id;
};
// Gmail's MessagePart: partId "" for the root, "0", "1.0", ...; header values RFC 2047-decoded;
// leaf bodies {size, data (padded base64url)} or {size, attachmentId} for parts with a filename,
// non-text parts and text above the threshold; multipart bodies {size: 0}; message/rfc822
// parts carry the inner message as their single child. Metadata: {mimeType, headers} only.
json render_payload(const mail_part& root, const payload_options& opt);

// Finds the part with a Gmail partId ("" root, "0", "1.0", ...).
const mail_part* find_part(const mail_part& root, std::string_view part_id);

// Gmail-style snippet: first text part (or tag-stripped HTML) as UTF-8, whitespace collapsed,
// at most 200 characters, HTML-escaped ("&#39;" for the apostrophe).
std::string make_snippet(const mail_part& root);

// Folds a header line at spaces to <= 78 columns where possible ("Name: value" + CRLF).
std::string fold_header(std::string_view name, std::string_view value);

} // namespace gc::sim

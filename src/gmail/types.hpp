#pragma once
// Gmail v1 responses as structs (gmail-api.md §2.1). uint64/int64 fields arrive as JSON strings
// and are converted; base64url payloads (body.data, raw) are kept encoded, decode on demand.
#include "core/json.hpp"
#include "core/json_parse.hpp"
#include "gmail/outcome.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::gmail {

struct profile {
  std::string email_address;
  int64_t messages_total = 0;
  int64_t threads_total = 0;
  uint64_t history_id = 0;
};

struct message_ref {
  std::string id;
  std::string thread_id;
};

struct message_list {
  std::vector<message_ref> messages;              // empty when the field is absent
  std::optional<std::string> next_page_token;
  uint32_t result_size_estimate = 0;
};

struct header {
  std::string name;
  std::string value;
};

struct message_part_body {
  std::optional<std::string> attachment_id;
  int64_t size = 0;                               // decoded bytes
  std::optional<std::string> data;                // base64url as sent
  std::optional<std::string> decoded() const;     // nullopt: no data, or not base64
};

struct message_part {
  std::string part_id;
  std::string mime_type;
  std::string filename;                           // set for attachments only
  std::vector<header> headers;
  message_part_body body;
  std::vector<message_part> parts;                // multipart/* only
  // First header with this name, ASCII case-insensitive.
  std::optional<std::string> header_value(std::string_view name) const;
};

struct message {
  std::string id;
  std::string thread_id;
  std::vector<std::string> label_ids;
  std::string snippet;
  uint64_t history_id = 0;
  int64_t internal_date = 0;                      // epoch milliseconds
  int64_t size_estimate = 0;
  std::optional<message_part> payload;            // format=full|metadata
  std::optional<std::string> raw;                 // format=raw: base64url RFC 822
  std::optional<std::string> raw_decoded() const;
  bool has_label(std::string_view label) const;
};

struct thread {
  std::string id;
  std::string snippet;
  uint64_t history_id = 0;
  std::vector<message> messages;
};

struct history_label_change {
  message msg;                                    // usually id + threadId (+ labelIds)
  std::vector<std::string> label_ids;
};

struct history_record {
  uint64_t id = 0;
  std::vector<message> messages;                  // all touched messages (may duplicate)
  std::vector<message> messages_added;
  std::vector<message> messages_deleted;
  std::vector<history_label_change> labels_added;
  std::vector<history_label_change> labels_removed;
};

struct history_list {
  std::vector<history_record> history;            // empty when the field is absent
  uint64_t history_id = 0;                        // the mailbox's current id
  std::optional<std::string> next_page_token;
};

// Parsers: a missing required field or a malformed number is a bad_response error naming it.
outcome<profile> parse_profile(const json& j);
outcome<message_list> parse_message_list(const json& j);
outcome<message> parse_message(const json& j);
outcome<thread> parse_thread(const json& j);
outcome<message_part_body> parse_part_body(const json& j);
outcome<history_list> parse_history_list(const json& j);

// Parses body text, then applies one of the parsers above.
template <class T>
outcome<T> parse_body(std::string_view body, outcome<T> (*parser)(const json&)) {
  auto j = parse_json(body);
  if (j.is_discarded() || !j.is_object()) return bad_response("the answer is not a JSON object");
  return parser(j);
}

} // namespace gc::gmail

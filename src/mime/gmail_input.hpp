#pragma once
// A Gmail Message resource as parse_gmail_json reads it: only the fields it looks at, each with
// the type it accepts. Two readers fill it:
//  - gmail_input_from_json, from a parsed JSON value, exactly as the parser has always read it
//    (a field of the wrong type reads as absent);
//  - read_gmail_message / read_gmail_thread, straight from the JSON text without building a
//    JSON tree (the syncer's hot path). They accept only text in which every field they know
//    has its usual type and no object repeats a name; for anything else (and for every invalid
//    text) they return nullopt, and the caller goes the first way. Whatever they accept, they
//    read as the first way would (tests/unit/mime/gmail_input_test.cpp, fuzz target gmail_json).
// The string_views point into the text or the JSON value read, or into `owned`: keep that
// alive while the input is used.
#include "core/json.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gc::mime {

struct gmail_part_in {
  std::optional<std::string> part_id;                     // "partId" when a string
  std::string mime_type;                                  // "mimeType", "" when not a string
  std::string filename;                                   // "filename", "" when not a string
  std::vector<std::pair<std::string, std::string>> headers;  // "headers": objects with a non-empty name
  bool has_body = false;                                  // "body" is an object
  std::string attachment_id;                              // body.attachmentId when a string
  std::optional<std::string_view> data;                   // body.data when a string
  std::optional<int64_t> size;                            // body.size: an int64, or a string of one
  // "parts" when an array: an entry per element, nullopt for one that is not an object. Below
  // gmail_input_part_depth the entries are all nullopt (the parser reads no deeper).
  std::vector<std::optional<gmail_part_in>> parts;
};

struct gmail_message_in {
  bool is_object = true;                  // false: the value read was not a JSON object
  std::string id, thread_id, snippet;     // "" when absent or not strings
  std::optional<std::string> history_id;  // a string as given, or an integer's digits
  std::optional<int64_t> internal_date;   // an int64, or a string of one
  std::vector<std::string> label_ids;     // the strings of "labelIds"
  std::optional<std::string_view> raw;    // "raw" when a string (format=raw)
  std::optional<gmail_part_in> payload;   // "payload" object, or the message itself if it has "mimeType"
  int64_t size_estimate = 0;              // "sizeEstimate": an int64, or a string of one
  // Decoded strings the views point into (each allocated once: moving the input keeps them).
  std::vector<std::unique_ptr<std::string>> owned;
};

// Part nesting the parser reads (its max_depth); deeper "parts" are kept only as a count.
inline constexpr int gmail_input_part_depth = 32;

// The integer rules both readers share: a string is an int64 only when it is one whole, an
// unsigned number only when it fits.
std::optional<int64_t> gmail_int64(std::string_view text);
std::optional<int64_t> gmail_int64(uint64_t number);

gmail_message_in gmail_input_from_json(const json& message);

std::optional<gmail_message_in> read_gmail_message(std::string_view text);
// threads.get: the thread's "messages" (an absent or non-array field: none).
std::optional<std::vector<gmail_message_in>> read_gmail_thread(std::string_view text);

} // namespace gc::mime

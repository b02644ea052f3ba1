#include "gmail/types.hpp"

#include "core/encoding.hpp"

#include <charconv>
#include <stdexcept>

namespace gc::gmail {
namespace {

// Thrown inside the parsers, turned into bad_response at their edge.
struct parse_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json* find(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string str(const json& j, const char* key, bool required = false) {
  auto* v = find(j, key);
  if (!v) {
    if (required) throw parse_error(std::string{"missing '"} + key + "'");
    return {};
  }
  if (!v->is_string()) throw parse_error(std::string{"'"} + key + "' is not a string");
  return v->get<std::string>();
}

std::optional<std::string> opt_str(const json& j, const char* key) {
  if (!find(j, key)) return std::nullopt;
  return str(j, key);
}

// int64/uint64 as a JSON string (the API's encoding) or a number (tolerated).
template <class Int>
Int num(const json& j, const char* key, bool required = false) {
  auto* v = find(j, key);
  if (!v) {
    if (required) throw parse_error(std::string{"missing '"} + key + "'");
    return 0;
  }
  if (v->is_number_integer()) {
    if constexpr (std::is_unsigned_v<Int>) {
      if (v->is_number_unsigned() || v->get<int64_t>() >= 0) return v->get<Int>();
    } else {
      return v->get<Int>();
    }
  } else if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    Int out{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc{} && p == s.data() + s.size() && !s.empty()) return out;
  }
  throw parse_error(std::string{"'"} + key + "' is not a valid number");
}

std::vector<std::string> str_list(const json& j, const char* key) {
  std::vector<std::string> out;
  auto* v = find(j, key);
  if (!v) return out;
  if (!v->is_array()) throw parse_error(std::string{"'"} + key + "' is not an array");
  for (const auto& x : *v) {
    if (!x.is_string()) throw parse_error(std::string{"'"} + key + "' holds a non-string");
    out.push_back(x.get<std::string>());
  }
  return out;
}

template <class F>
auto list_of(const json& j, const char* key, F each) {
  std::vector<decltype(each(j))> out;
  auto* v = find(j, key);
  if (!v) return out;
  if (!v->is_array()) throw parse_error(std::string{"'"} + key + "' is not an array");
  for (const auto& x : *v) {
    if (!x.is_object()) throw parse_error(std::string{"'"} + key + "' holds a non-object");
    out.push_back(each(x));
  }
  return out;
}

message_part_body body_of(const json& j) {
  message_part_body b;
  b.attachment_id = opt_str(j, "attachmentId");
  b.size = num<int64_t>(j, "size");
  b.data = opt_str(j, "data");
  return b;
}

message_part part_of(const json& j) {
  message_part p;
  p.part_id = str(j, "partId");
  p.mime_type = str(j, "mimeType");
  p.filename = str(j, "filename");
  p.headers = list_of(j, "headers", [](const json& h) { return header{str(h, "name"), str(h, "value")}; });
  if (auto* b = find(j, "body")) {
    if (!b->is_object()) throw parse_error("'body' is not an object");
    p.body = body_of(*b);
  }
  p.parts = list_of(j, "parts", part_of);
  return p;
}

message message_of(const json& j) {
  message m;
  m.id = str(j, "id", true);
  m.thread_id = str(j, "threadId");
  m.label_ids = str_list(j, "labelIds");
  m.snippet = str(j, "snippet");
  m.history_id = num<uint64_t>(j, "historyId");
  m.internal_date = num<int64_t>(j, "internalDate");
  m.size_estimate = num<int64_t>(j, "sizeEstimate");
  if (auto* p = find(j, "payload")) {
    if (!p->is_object()) throw parse_error("'payload' is not an object");
    m.payload = part_of(*p);
  }
  m.raw = opt_str(j, "raw");
  return m;
}

history_label_change label_change_of(const json& j) {
  auto* m = find(j, "message");
  if (!m || !m->is_object()) throw parse_error("a label change has no 'message'");
  return history_label_change{message_of(*m), str_list(j, "labelIds")};
}

message wrapped_message(const json& j) {    // {"message": {...}}
  auto* m = find(j, "message");
  if (!m || !m->is_object()) throw parse_error("a history entry has no 'message'");
  return message_of(*m);
}

history_record record_of(const json& j) {
  history_record r;
  r.id = num<uint64_t>(j, "id", true);
  r.messages = list_of(j, "messages", message_of);
  r.messages_added = list_of(j, "messagesAdded", wrapped_message);
  r.messages_deleted = list_of(j, "messagesDeleted", wrapped_message);
  r.labels_added = list_of(j, "labelsAdded", label_change_of);
  r.labels_removed = list_of(j, "labelsRemoved", label_change_of);
  return r;
}

template <class T, class F>
outcome<T> guarded(const char* what, F f) {
  try {
    return f();
  } catch (const parse_error& e) {
    return bad_response(std::string{what} + ": " + e.what());
  } catch (const json::exception& e) {
    return bad_response(std::string{what} + ": unexpected JSON types");
  }
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

} // namespace

std::optional<std::string> message_part_body::decoded() const {
  if (!data) return std::nullopt;
  return core::base64_decode(*data);
}

std::optional<std::string> message_part::header_value(std::string_view name) const {
  for (const auto& h : headers)
    if (iequal(h.name, name)) return h.value;
  return std::nullopt;
}

std::optional<std::string> message::raw_decoded() const {
  if (!raw) return std::nullopt;
  return core::base64_decode(*raw);
}

bool message::has_label(std::string_view label) const {
  for (const auto& l : label_ids)
    if (l == label) return true;
  return false;
}

outcome<profile> parse_profile(const json& j) {
  return guarded<profile>("profile", [&] {
    return profile{str(j, "emailAddress", true), num<int64_t>(j, "messagesTotal"), num<int64_t>(j, "threadsTotal"),
                   num<uint64_t>(j, "historyId", true)};
  });
}

outcome<message_list> parse_message_list(const json& j) {
  return guarded<message_list>("messages.list", [&] {
    message_list l;
    l.messages = list_of(j, "messages", [](const json& m) { return message_ref{str(m, "id", true), str(m, "threadId")}; });
    l.next_page_token = opt_str(j, "nextPageToken");
    if (l.next_page_token && l.next_page_token->empty()) l.next_page_token.reset();
    l.result_size_estimate = num<uint32_t>(j, "resultSizeEstimate");
    return l;
  });
}

outcome<message> parse_message(const json& j) {
  return guarded<message>("message", [&] { return message_of(j); });
}

outcome<thread> parse_thread(const json& j) {
  return guarded<thread>("thread", [&] {
    return thread{str(j, "id", true), str(j, "snippet"), num<uint64_t>(j, "historyId"), list_of(j, "messages", message_of)};
  });
}

outcome<message_part_body> parse_part_body(const json& j) {
  return guarded<message_part_body>("attachment", [&] { return body_of(j); });
}

outcome<history_list> parse_history_list(const json& j) {
  return guarded<history_list>("history.list", [&] {
    history_list h;
    h.history = list_of(j, "history", record_of);
    h.history_id = num<uint64_t>(j, "historyId", true);
    h.next_page_token = opt_str(j, "nextPageToken");
    if (h.next_page_token && h.next_page_token->empty()) h.next_page_token.reset();
    return h;
  });
}

} // namespace gc::gmail

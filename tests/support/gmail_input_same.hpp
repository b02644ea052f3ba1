#pragma once
// Field-by-field comparison of two gmail_message_in (mime/gmail_input.hpp): "" when they are
// the same, else where the first difference is. Views compare by their text.
#include "mime/gmail_input.hpp"

#include <string>

namespace gc::test {

namespace detail {

template <class T>
std::string show(const std::optional<T>& v) {
  if (!v) return "(none)";
  if constexpr (std::is_same_v<T, int64_t>) return std::to_string(*v);
  else return "\"" + std::string(*v).substr(0, 60) + "\"";
}

inline std::string part_diff(const mime::gmail_part_in& a, const mime::gmail_part_in& b, const std::string& at) {
  auto differ = [&](const char* field, const std::string& x, const std::string& y) {
    return at + "." + field + ": " + x + " vs " + y;
  };
  if (a.part_id != b.part_id) return differ("partId", show(a.part_id), show(b.part_id));
  if (a.mime_type != b.mime_type) return differ("mimeType", a.mime_type, b.mime_type);
  if (a.filename != b.filename) return differ("filename", a.filename, b.filename);
  if (a.headers != b.headers)
    return differ("headers", std::to_string(a.headers.size()), std::to_string(b.headers.size()) + " (or their text)");
  if (a.has_body != b.has_body) return differ("body", a.has_body ? "object" : "none", b.has_body ? "object" : "none");
  if (a.attachment_id != b.attachment_id) return differ("attachmentId", a.attachment_id, b.attachment_id);
  if (a.data != b.data) return differ("data", show(a.data), show(b.data));
  if (a.size != b.size) return differ("size", show(a.size), show(b.size));
  if (a.parts.size() != b.parts.size())
    return differ("parts", std::to_string(a.parts.size()), std::to_string(b.parts.size()));
  for (size_t i = 0; i < a.parts.size(); ++i) {
    const auto where = at + ".parts[" + std::to_string(i) + "]";
    if (a.parts[i].has_value() != b.parts[i].has_value()) return where + ": object in one only";
    if (a.parts[i])
      if (auto d = part_diff(*a.parts[i], *b.parts[i], where); !d.empty()) return d;
  }
  return {};
}

} // namespace detail

inline std::string gmail_input_diff(const mime::gmail_message_in& a, const mime::gmail_message_in& b) {
  auto differ = [](const char* field, const std::string& x, const std::string& y) {
    return std::string{field} + ": " + x + " vs " + y;
  };
  if (a.is_object != b.is_object) return "is_object";
  if (a.id != b.id) return differ("id", a.id, b.id);
  if (a.thread_id != b.thread_id) return differ("threadId", a.thread_id, b.thread_id);
  if (a.snippet != b.snippet) return differ("snippet", a.snippet, b.snippet);
  if (a.history_id != b.history_id) return differ("historyId", detail::show(a.history_id), detail::show(b.history_id));
  if (a.internal_date != b.internal_date)
    return differ("internalDate", detail::show(a.internal_date), detail::show(b.internal_date));
  if (a.label_ids != b.label_ids) return "labelIds";
  if (a.raw != b.raw) return differ("raw", detail::show(a.raw), detail::show(b.raw));
  if (a.size_estimate != b.size_estimate)
    return differ("sizeEstimate", std::to_string(a.size_estimate), std::to_string(b.size_estimate));
  if (a.payload.has_value() != b.payload.has_value()) return "payload in one only";
  if (a.payload) return detail::part_diff(*a.payload, *b.payload, "payload");
  return {};
}

} // namespace gc::test

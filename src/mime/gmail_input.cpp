// gmail_input_from_json: a parsed JSON value -> gmail_message_in, every field type-checked
// (the input may be anything); a field of the wrong type reads as absent.
#include "mime/gmail_input.hpp"

#include <charconv>

namespace gc::mime {
namespace {

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<std::string_view> view(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return std::string_view{it->get_ref<const std::string&>()};
}

std::optional<int64_t> to_int64(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) return gmail_int64(v.get<uint64_t>());
  if (v.is_string()) return gmail_int64(std::string_view{v.get_ref<const std::string&>()});
  return std::nullopt;
}

gmail_part_in part_from_json(const json& p, int depth) {
  gmail_part_in out;
  if (auto it = p.find("partId"); it != p.end() && it->is_string()) out.part_id = it->get<std::string>();
  out.mime_type = str(p, "mimeType");
  out.filename = str(p, "filename");
  if (auto hs = p.find("headers"); hs != p.end() && hs->is_array())
    for (const auto& h : *hs)
      if (h.is_object()) {
        auto name = str(h, "name");
        if (!name.empty()) out.headers.emplace_back(std::move(name), str(h, "value"));
      }
  if (auto b = p.find("body"); b != p.end() && b->is_object()) {
    out.has_body = true;
    out.attachment_id = str(*b, "attachmentId");
    out.data = view(*b, "data");
    if (auto s = b->find("size"); s != b->end()) out.size = to_int64(*s);
  }
  if (auto ps = p.find("parts"); ps != p.end() && ps->is_array())
    for (const auto& c : *ps) {
      if (c.is_object() && depth < gmail_input_part_depth) out.parts.emplace_back(part_from_json(c, depth + 1));
      else out.parts.emplace_back(std::nullopt);
    }
  return out;
}

} // namespace

std::optional<int64_t> gmail_int64(std::string_view text) {
  int64_t out = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<int64_t> gmail_int64(uint64_t number) {
  if (number > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(number);
}

gmail_message_in gmail_input_from_json(const json& j) {
  gmail_message_in in;
  if (!j.is_object()) {
    in.is_object = false;
    return in;
  }
  in.id = str(j, "id");
  in.thread_id = str(j, "threadId");
  in.snippet = str(j, "snippet");
  if (auto h = j.find("historyId"); h != j.end()) {
    if (h->is_string()) in.history_id = h->get<std::string>();
    else if (auto v = to_int64(*h)) in.history_id = std::to_string(*v);
  }
  if (auto d = j.find("internalDate"); d != j.end()) in.internal_date = to_int64(*d);
  if (auto l = j.find("labelIds"); l != j.end() && l->is_array())
    for (const auto& x : *l)
      if (x.is_string()) in.label_ids.push_back(x.get<std::string>());
  in.raw = view(j, "raw");
  if (auto p = j.find("payload"); p != j.end() && p->is_object()) in.payload = part_from_json(*p, 0);
  else if (j.contains("mimeType")) in.payload = part_from_json(j, 0);  // a bare MessagePart
  if (auto s = j.find("sizeEstimate"); s != j.end()) in.size_estimate = to_int64(*s).value_or(0);
  return in;
}

} // namespace gc::mime

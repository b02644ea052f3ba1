#include "gmail_json_builder.hpp"

#include "core/encoding.hpp"
#include "mime/gobj.hpp"

#include <string>

namespace gc::test {
namespace {

using gc::mime::gchar_ptr;
using gc::mime::gobj;

std::string unfold(const char* v) {
  std::string out;
  for (const char* p = v; p && *p; ++p)
    if (*p != '\r' && *p != '\n') out += *p;
  auto b = out.find_first_not_of(" \t"), e = out.find_last_not_of(" \t");
  return b == std::string::npos ? std::string{} : out.substr(b, e - b + 1);
}

void add_headers(GMimeObject* obj, json& hs, const gmail_json_options& o) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  for (int i = 0; i < g_mime_header_list_get_count(list); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    std::string v = unfold(g_mime_header_get_raw_value(h));
    if (o.decode_headers) {
      gchar_ptr d{g_mime_utils_header_decode_text(nullptr, v.c_str())};
      v = d.get();
    }
    hs.push_back({{"name", g_mime_header_get_name(h)}, {"value", v}});
  }
}

std::string bytes_of(GMimeObject* obj, bool content_only) {
  auto mem = gobj<GMimeStream>::adopt(g_mime_stream_mem_new());
  if (content_only) {
    if (GMimeDataWrapper* w = g_mime_part_get_content(GMIME_PART(obj))) g_mime_data_wrapper_write_to_stream(w, mem.get());
  }
  else g_mime_object_write_to_stream(obj, nullptr, mem.get());
  GByteArray* b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(b->data), b->len);
}

std::string child(const std::string& id, int i) {
  return id.empty() ? std::to_string(i) : id + "." + std::to_string(i);
}

json part(GMimeObject* obj, GMimeMessage* msg, const std::string& id, const gmail_json_options& o) {
  json hs = json::array();
  if (msg) add_headers(GMIME_OBJECT(msg), hs, o);
  add_headers(obj, hs, o);
  gchar_ptr mt{g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj))};
  std::string type = mt ? mt.get() : "text/plain";
  for (auto& c : type) c = static_cast<char>(g_ascii_tolower(c));
  const char* fn = g_mime_object_get_content_disposition_parameter(obj, "filename");
  if (!fn) fn = g_mime_object_get_content_type_parameter(obj, "name");
  json j = {{"partId", id}, {"mimeType", type}, {"filename", fn ? fn : ""}, {"headers", hs}};
  auto data = [&](const std::string& bytes) {
    return json{{"size", bytes.size()}, {"data", core::base64url_encode(bytes, o.padded)}};
  };
  if (GMIME_IS_MULTIPART(obj)) {
    j["body"] = {{"size", 0}};
    json parts = json::array();
    auto* mp = GMIME_MULTIPART(obj);
    for (int i = 0; i < g_mime_multipart_get_count(mp); ++i)
      parts.push_back(part(g_mime_multipart_get_part(mp, i), nullptr, child(id, i), o));
    j["parts"] = parts;
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    if (!inner || !g_mime_message_get_mime_part(inner)) {
      j["body"] = {{"size", 0}};
      return j;
    }
    auto bytes = bytes_of(GMIME_OBJECT(inner), false);
    j["body"] = o.attachments_by_id ? json{{"attachmentId", "ATT_" + id}, {"size", bytes.size()}} : data(bytes);
    j["parts"] = json::array({part(g_mime_message_get_mime_part(inner), inner, child(id, 0), o)});
  } else {
    auto bytes = bytes_of(obj, true);
    bool text = type == "text/plain" || type == "text/html";
    bool attachment = !text || (fn && *fn) ||
                      g_strcmp0(g_mime_object_get_disposition(obj), "attachment") == 0;
    if (o.attachments_by_id && attachment)
      j["body"] = {{"attachmentId", "ATT_" + (id.empty() ? std::string("root") : id)}, {"size", bytes.size()}};
    else j["body"] = data(bytes);
  }
  return j;
}

} // namespace

json gmail_json_from_raw(std::string_view raw, const gmail_json_options& o) {
  gc::mime::init_gmime_once();
  auto stream = gobj<GMimeStream>::adopt(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  auto parser = gobj<GMimeParser>::adopt(g_mime_parser_new_with_stream(stream.get()));
  auto msg = gobj<GMimeMessage>::adopt(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!msg || !g_mime_message_get_mime_part(msg.get())) return json::object();   // parse_gmail_json: error
  json payload = part(g_mime_message_get_mime_part(msg.get()), msg.get(), "", o);
  return {{"id", "18f4c6b280d6f124"}, {"threadId", "18f4c6b280d6f100"},
          {"labelIds", {"INBOX", "UNREAD"}}, {"snippet", "snippet text"},
          {"historyId", "987654"}, {"internalDate", "1646211600000"}, {"sizeEstimate", raw.size()},
          {"payload", payload}};
}

} // namespace gc::test

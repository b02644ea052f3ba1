// Raw RFC 822 -> part_node tree through GMime's parser, then the shared assembler.
#include "mime/parse.hpp"
#include "mime/part_tree.hpp"

#include <exception>

namespace gc::mime {
namespace detail {
namespace {

std::string cstr(const char* s) { return s ? std::string(s) : std::string{}; }

std::vector<header_field> headers_of(GMimeObject* obj) {
  std::vector<header_field> out;
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);   // borrowed
  int n = list ? g_mime_header_list_get_count(list) : 0;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    if (!h) continue;
    out.push_back({cstr(g_mime_header_get_name(h)), unfold(cstr(g_mime_header_get_raw_value(h)))});
  }
  return out;
}

std::string serialize(GMimeObject* obj) {
  auto mem = gobj<GMimeStream>::adopt(g_mime_stream_mem_new());
  if (g_mime_object_write_to_stream(obj, nullptr, mem.get()) < 0) return {};
  GByteArray* b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(b->data), b->len);
}

std::optional<std::string> decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);   // borrowed
  if (!content) return std::string{};
  auto mem = gobj<GMimeStream>::adopt(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(content, mem.get()) < 0) return std::nullopt;
  GByteArray* b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(b->data), b->len);
}

part_node convert_object(context& cx, GMimeObject* obj, const std::string& id, int depth);

part_node convert_message(context& cx, GMimeMessage* msg, const std::string& id, int depth) {
  GMimeObject* body = g_mime_message_get_mime_part(msg);   // borrowed
  part_node node;
  if (body) {
    node = convert_object(cx, body, id, depth);
  } else {
    node.part_id = id;
    node.mime_type = "text/plain";
    node.body = std::string{};
  }
  auto top = headers_of(GMIME_OBJECT(msg));
  top.insert(top.end(), node.headers.begin(), node.headers.end());
  node.headers = std::move(top);
  return node;
}

part_node convert_object(context& cx, GMimeObject* obj, const std::string& id, int depth) {
  part_node node;
  node.part_id = id;
  node.headers = headers_of(obj);
  if (GMimeContentType* ct = g_mime_object_get_content_type(obj)) {   // borrowed
    gchar_ptr mt{g_mime_content_type_get_mime_type(ct)};
    node.mime_type = ascii_lower(make_valid_utf8(cstr(mt.get())));
    node.charset = make_valid_utf8(cstr(g_mime_content_type_get_parameter(ct, "charset")));
  }
  if (node.mime_type.empty()) node.mime_type = "text/plain";
  node.disposition = ascii_lower(make_valid_utf8(cstr(g_mime_object_get_disposition(obj))));
  node.content_id = make_valid_utf8(cstr(g_mime_object_get_content_id(obj)));
  const char* fn = g_mime_object_get_content_disposition_parameter(obj, "filename");
  if (!fn || !*fn) fn = g_mime_object_get_content_type_parameter(obj, "name");
  node.filename = make_valid_utf8(trim(cstr(fn)));

  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart* mp = GMIME_MULTIPART(obj);
    int n = g_mime_multipart_get_count(mp);
    if (n > 0 && depth + 1 > max_depth) {
      if (!cx.depth_warned) cx.warn("MIME nesting deeper than " + std::to_string(max_depth) + " levels; deeper parts ignored");
      cx.depth_warned = true;
      return node;
    }
    for (int i = 0; i < n; ++i)
      if (GMimeObject* child = g_mime_multipart_get_part(mp, i))
        node.children.push_back(convert_object(cx, child, child_id(id, static_cast<size_t>(i)), depth + 1));
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));   // borrowed
    if (inner) {
      node.body = serialize(GMIME_OBJECT(inner));
      node.size = static_cast<int64_t>(node.body->size());
      if (depth + 1 > max_depth) {
        if (!cx.depth_warned) cx.warn("MIME nesting deeper than " + std::to_string(max_depth) + " levels; deeper parts ignored");
        cx.depth_warned = true;
      } else {
        node.children.push_back(convert_message(cx, inner, child_id(id, 0), depth + 1));
      }
    }
  } else if (GMIME_IS_PART(obj)) {
    node.body = decoded_content(GMIME_PART(obj));
    if (!node.body) cx.warn("undecodable content in part " + (id.empty() ? std::string("(root)") : id));
    node.size = node.body ? static_cast<int64_t>(node.body->size()) : 0;
  }
  return node;
}

gobj<GMimeMessage> construct(context& cx, std::string_view raw) {
  auto stream = gobj<GMimeStream>::adopt(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  auto parser = gobj<GMimeParser>::adopt(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  return gobj<GMimeMessage>::adopt(g_mime_parser_construct_message(parser.get(), cx.options.get()));
}

} // namespace

std::optional<part_node> parse_bytes_to_tree(context& cx, std::string_view raw, const std::string& id, int depth) {
  auto msg = construct(cx, raw);
  if (!msg) return std::nullopt;
  return convert_message(cx, msg.get(), id, depth);
}

} // namespace detail

result<message> parse_rfc822(std::string_view raw) {
  try {
    init_gmime_once();
    if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return error{"unparseable", "empty input"};
    detail::context cx;
    auto msg = detail::construct(cx, raw);
    if (!msg) return error{"unparseable", "not an RFC 822 message (no headers found)"};
    GMimeHeaderList* hl = g_mime_object_get_header_list(GMIME_OBJECT(msg.get()));
    if (!hl || g_mime_header_list_get_count(hl) == 0)
      return error{"unparseable", "not an RFC 822 message (no message headers)"};
    auto root = detail::convert_message(cx, msg.get(), "", 0);
    return detail::assemble(cx, root);
  } catch (const std::exception& e) {
    return error{"unparseable", std::string("internal error: ") + e.what()};
  } catch (...) {
    return error{"unparseable", "internal error"};
  }
}

} // namespace gc::mime

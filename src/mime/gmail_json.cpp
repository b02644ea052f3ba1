// Gmail format=full Message (MessagePart tree) -> part_node tree, then the shared assembler.
// body.data is base64url of the part's bytes after transfer decoding, still in the part's
// charset; header names are matched case-insensitively; every field is type-checked, since
// the input may be anything (mime/gmail_input.hpp reads the fields).
#include "core/encoding.hpp"
#include "mime/gmail_input.hpp"
#include "mime/parse.hpp"
#include "mime/part_tree.hpp"

#include <exception>

namespace gc::mime {
namespace detail {
namespace {

std::string label(const std::string& id) { return id.empty() ? std::string("(root)") : make_valid_utf8(id.substr(0, 40)); }

std::vector<header_field> headers_of(const gmail_part_in& part) {
  std::vector<header_field> out;
  out.reserve(part.headers.size());
  for (const auto& [name, value] : part.headers) out.push_back({name, unfold(value)});
  return out;
}

void fill_params(context& cx, part_node& node) {
  if (auto v = find_header(node.headers, "Content-Type"); v && !v->empty()) {
    auto ct = gobj<GMimeContentType>::adopt(g_mime_content_type_parse(cx.options.get(), v->c_str()));
    if (ct) {
      if (node.mime_type.empty()) {
        gchar_ptr mt{g_mime_content_type_get_mime_type(ct.get())};
        node.mime_type = ascii_lower(make_valid_utf8(mt ? mt.get() : ""));
      }
      if (const char* cs = g_mime_content_type_get_parameter(ct.get(), "charset")) node.charset = make_valid_utf8(cs);
      if (const char* n = g_mime_content_type_get_parameter(ct.get(), "name")) node.filename = make_valid_utf8(trim(n));
    }
  }
  if (auto v = find_header(node.headers, "Content-Disposition"); v && !v->empty()) {
    auto cd = gobj<GMimeContentDisposition>::adopt(g_mime_content_disposition_parse(cx.options.get(), v->c_str()));
    if (cd) {
      if (const char* d = g_mime_content_disposition_get_disposition(cd.get())) node.disposition = ascii_lower(make_valid_utf8(d));
      const char* f = g_mime_content_disposition_get_parameter(cd.get(), "filename");
      if (f && *f) node.filename = make_valid_utf8(trim(f));
    }
  }
  if (auto v = find_header(node.headers, "Content-ID"); v && !v->empty()) {
    gchar_ptr id{g_mime_utils_decode_message_id(v->c_str())};
    node.content_id = make_valid_utf8(id ? id.get() : "");
  }
}

// `headers`: the part's headers_of(p).
part_node convert_part(context& cx, const gmail_part_in& p, const std::string& default_id, int depth,
                       std::vector<header_field> headers) {
  part_node node;
  node.part_id = make_valid_utf8(p.part_id ? *p.part_id : default_id);
  node.headers = std::move(headers);
  node.mime_type = ascii_lower(trim(p.mime_type));
  fill_params(cx, node);
  if (node.mime_type.empty()) node.mime_type = "text/plain";
  if (node.filename.empty()) {   // Gmail's own filename field (normally the same, already decoded)
    auto f = trim(p.filename);
    node.filename = f.find("=?") != std::string::npos ? decode_text(cx, f) : make_valid_utf8(f);
  }
  if (p.has_body) {
    node.gmail_attachment_id = make_valid_utf8(p.attachment_id);
    // Inline message/rfc822 bytes are decoded even without bodies: they carry structure.
    bool wanted = !cx.skip_bodies || node.mime_type == "message/rfc822";
    if (wanted && p.data) {
      node.body = core::base64_decode(*p.data);
      if (!node.body) cx.warn("part " + label(node.part_id) + ": body.data is not base64");
    }
    int64_t known = node.body ? static_cast<int64_t>(node.body->size()) : 0;
    if (!node.body && p.data) known = static_cast<int64_t>(p.data->size() * 3 / 4);  // undecoded
    node.size = p.size && *p.size >= 0 ? *p.size : known;
  }
  bool has_parts = !p.parts.empty();
  if (has_parts || (node.mime_type == "message/rfc822" && node.body)) {
    if (depth + 1 > max_depth) {
      if (!cx.depth_warned) cx.warn("MIME nesting deeper than " + std::to_string(max_depth) + " levels; deeper parts ignored");
      cx.depth_warned = true;
      return node;
    }
  }
  if (has_parts) {
    for (size_t i = 0; i < p.parts.size(); ++i) {
      const auto& c = p.parts[i];
      if (c) node.children.push_back(convert_part(cx, *c, child_id(node.part_id, i), depth + 1, headers_of(*c)));
      else cx.warn("part " + label(child_id(node.part_id, i)) + " is not an object");
    }
  } else if (node.mime_type == "message/rfc822" && node.body) {   // inner message bytes inline
    if (auto inner = parse_bytes_to_tree(cx, *node.body, child_id(node.part_id, 0), depth + 1))
      node.children.push_back(std::move(*inner));
  }
  return node;
}

void fill_gmail_fields(const gmail_message_in& in, message& m) {
  m.gmail_id = make_valid_utf8(in.id);
  m.gmail_thread_id = make_valid_utf8(in.thread_id);
  m.snippet = make_valid_utf8(in.snippet);
  if (in.history_id) m.history_id = make_valid_utf8(*in.history_id);
  m.internal_date_ms = in.internal_date;
  for (const auto& l : in.label_ids) m.label_ids.push_back(make_valid_utf8(l));
}

} // namespace
} // namespace detail

result<message> parse_gmail_input(const gmail_message_in& in, gmail_parse_options opts) {
  try {
    init_gmime_once();
    if (!in.is_object) return error{"unparseable", "Gmail message is not a JSON object"};
    if (in.raw) {   // format=raw
      auto bytes = core::base64_decode(*in.raw);
      if (!bytes) return error{"unparseable", "Gmail raw field is not base64url"};
      auto r = parse_rfc822(*bytes);
      if (r) detail::fill_gmail_fields(in, *r);
      return r;
    }
    if (!in.payload) return error{"unparseable", "Gmail message has neither payload (format=full) nor raw"};
    detail::context cx;
    auto headers = detail::headers_of(*in.payload);
    std::optional<detail::root_addresses> pre;
    bool bodies = opts.bodies;
    if (opts.bodies_if) {
      pre = detail::read_root_addresses(headers);
      participants who;
      if (!pre->from.list.empty()) who.from = pre->from.list.front();
      who.to = pre->to.list;
      who.cc = pre->cc.list;
      who.bcc = pre->bcc.list;
      bodies = opts.bodies_if(who);
    }
    cx.skip_bodies = !bodies;
    auto root = detail::convert_part(cx, *in.payload, "", 0, std::move(headers));
    if (root.headers.empty()) cx.warn("Gmail payload has no headers");
    auto m = detail::assemble(cx, root, pre ? &*pre : nullptr);
    detail::fill_gmail_fields(in, m);
    return m;
  } catch (const std::exception& e) {
    return error{"unparseable", std::string("internal error: ") + e.what()};
  } catch (...) {
    return error{"unparseable", "internal error"};
  }
}

result<message> parse_gmail_json(const json& j, gmail_parse_options opts) {
  try {
    return parse_gmail_input(gmail_input_from_json(j), std::move(opts));
  } catch (const std::exception& e) {
    return error{"unparseable", std::string("internal error: ") + e.what()};
  }
}

} // namespace gc::mime

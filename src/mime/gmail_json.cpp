// Gmail format=full Message (MessagePart tree) -> part_node tree, then the shared assembler.
// body.data is base64url of the part's bytes after transfer decoding, still in the part's
// charset; header names are matched case-insensitively; every field is type-checked, since
// the input may be anything.
#include "core/encoding.hpp"
#include "mime/parse.hpp"
#include "mime/part_tree.hpp"

#include <charconv>
#include <exception>

namespace gc::mime {
namespace detail {
namespace {

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string label(const std::string& id) { return id.empty() ? std::string("(root)") : make_valid_utf8(id.substr(0, 40)); }

std::optional<int64_t> to_int64(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(u);
    return std::nullopt;
  }
  if (!v.is_string()) return std::nullopt;
  auto s = v.get<std::string>();
  int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return out;
}

std::vector<header_field> headers_of(const json& part) {
  std::vector<header_field> out;
  if (auto hs = part.find("headers"); hs != part.end() && hs->is_array())
    for (auto& h : *hs)
      if (h.is_object()) {
        auto name = str(h, "name");
        if (!name.empty()) out.push_back({std::move(name), unfold(str(h, "value"))});
      }
  return out;
}

// The part parse_gmail_json reads as the message (payload, or a bare MessagePart); null if none.
const json* payload_of(const json& j) {
  if (auto p = j.find("payload"); p != j.end() && p->is_object()) return &*p;
  if (j.contains("mimeType")) return &j;
  return nullptr;
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
part_node convert_part(context& cx, const json& p, const std::string& default_id, int depth,
                       std::vector<header_field> headers) {
  part_node node;
  node.part_id = p.contains("partId") && p["partId"].is_string() ? p["partId"].get<std::string>() : default_id;
  node.part_id = make_valid_utf8(std::move(node.part_id));
  node.headers = std::move(headers);
  node.mime_type = ascii_lower(trim(str(p, "mimeType")));
  fill_params(cx, node);
  if (node.mime_type.empty()) node.mime_type = "text/plain";
  if (node.filename.empty()) {   // Gmail's own filename field (normally the same, already decoded)
    auto f = trim(str(p, "filename"));
    node.filename = f.find("=?") != std::string::npos ? decode_text(cx, f) : make_valid_utf8(f);
  }
  if (auto b = p.find("body"); b != p.end() && b->is_object()) {
    node.gmail_attachment_id = make_valid_utf8(str(*b, "attachmentId"));
    // Inline message/rfc822 bytes are decoded even without bodies: they carry structure.
    bool wanted = !cx.skip_bodies || node.mime_type == "message/rfc822";
    if (auto d = b->find("data"); wanted && d != b->end() && d->is_string()) {
      node.body = core::base64_decode(d->get_ref<const std::string&>());
      if (!node.body) cx.warn("part " + label(node.part_id) + ": body.data is not base64");
    }
    auto size = b->contains("size") ? to_int64((*b)["size"]) : std::nullopt;
    int64_t known = node.body ? static_cast<int64_t>(node.body->size()) : 0;
    if (auto d = b->find("data"); !node.body && d != b->end() && d->is_string())
      known = static_cast<int64_t>(d->get_ref<const std::string&>().size() * 3 / 4);  // undecoded
    node.size = size && *size >= 0 ? *size : known;
  }
  auto parts = p.find("parts");
  bool has_parts = parts != p.end() && parts->is_array() && !parts->empty();
  if (has_parts || (node.mime_type == "message/rfc822" && node.body)) {
    if (depth + 1 > max_depth) {
      if (!cx.depth_warned) cx.warn("MIME nesting deeper than " + std::to_string(max_depth) + " levels; deeper parts ignored");
      cx.depth_warned = true;
      return node;
    }
  }
  if (has_parts) {
    size_t i = 0;
    for (auto& c : *parts) {
      if (c.is_object()) node.children.push_back(convert_part(cx, c, child_id(node.part_id, i), depth + 1, headers_of(c)));
      else cx.warn("part " + label(child_id(node.part_id, i)) + " is not an object");
      ++i;
    }
  } else if (node.mime_type == "message/rfc822" && node.body) {   // inner message bytes inline
    if (auto inner = parse_bytes_to_tree(cx, *node.body, child_id(node.part_id, 0), depth + 1))
      node.children.push_back(std::move(*inner));
  }
  return node;
}

void fill_gmail_fields(const json& j, message& m) {
  m.gmail_id = make_valid_utf8(str(j, "id"));
  m.gmail_thread_id = make_valid_utf8(str(j, "threadId"));
  m.snippet = make_valid_utf8(str(j, "snippet"));
  if (auto h = j.find("historyId"); h != j.end()) {
    if (h->is_string()) m.history_id = make_valid_utf8(h->get<std::string>());
    else if (auto v = to_int64(*h)) m.history_id = std::to_string(*v);
  }
  if (auto d = j.find("internalDate"); d != j.end()) m.internal_date_ms = to_int64(*d);
  if (auto l = j.find("labelIds"); l != j.end() && l->is_array())
    for (auto& x : *l)
      if (x.is_string()) m.label_ids.push_back(make_valid_utf8(x.get<std::string>()));
}

} // namespace
} // namespace detail

result<message> parse_gmail_json(const json& j, gmail_parse_options opts) {
  try {
    init_gmime_once();
    if (!j.is_object()) return error{"unparseable", "Gmail message is not a JSON object"};
    if (auto raw = j.find("raw"); raw != j.end() && raw->is_string()) {   // format=raw
      auto bytes = core::base64_decode(raw->get_ref<const std::string&>());
      if (!bytes) return error{"unparseable", "Gmail raw field is not base64url"};
      auto r = parse_rfc822(*bytes);
      if (r) detail::fill_gmail_fields(j, *r);
      return r;
    }
    const json* payload = detail::payload_of(j);
    if (!payload) return error{"unparseable", "Gmail message has neither payload (format=full) nor raw"};
    detail::context cx;
    auto headers = detail::headers_of(*payload);
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
    auto root = detail::convert_part(cx, *payload, "", 0, std::move(headers));
    if (root.headers.empty()) cx.warn("Gmail payload has no headers");
    auto m = detail::assemble(cx, root, pre ? &*pre : nullptr);
    detail::fill_gmail_fields(j, m);
    return m;
  } catch (const std::exception& e) {
    return error{"unparseable", std::string("internal error: ") + e.what()};
  } catch (...) {
    return error{"unparseable", "internal error"};
  }
}

} // namespace gc::mime

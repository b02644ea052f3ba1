#include "sim/message_render.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"

namespace gc::sim {

const std::string* mail_part::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::string mail_part::header_or(std::string_view name, std::string fallback) const {
  auto h = header(name);
  return h ? *h : fallback;
}

std::string mail_part::mime_type() const {
  auto h = header("Content-Type");
  if (!h) return "text/plain";
  auto t = header_main_value(*h);
  return t.find('/') == std::string::npos ? "text/plain" : t;
}

std::string mail_part::charset() const {
  auto h = header("Content-Type");
  if (!h) return {};
  auto c = header_param(*h, "charset");
  return c ? lower(*c) : std::string{};
}

std::string mail_part::filename() const {
  if (auto d = header("Content-Disposition"))
    if (auto f = header_param(*d, "filename")) return *f;
  if (auto t = header("Content-Type"))
    if (auto n = header_param(*t, "name")) return *n;
  return {};
}

bool mail_part::is_multipart() const {
  auto t = header("Content-Type");
  return t && mime_type().rfind("multipart/", 0) == 0 && header_param(*t, "boundary");
}

bool mail_part::is_message() const {
  return mime_type() == "message/rfc822" && parts.size() == 1;
}

std::string fold_header(std::string_view name, std::string_view value) {
  std::string line = std::string(name) + ": ";
  size_t col = line.size();
  size_t i = 0;
  while (i < value.size()) {
    size_t sp = value.find(' ', i + 1);
    size_t end = sp == std::string_view::npos ? value.size() : sp;
    auto token = value.substr(i, end - i);   // starts with the space (except the first)
    if (i > 0 && col + token.size() > 78 && token.size() > 1) {
      line += "\r\n";
      col = 0;
    }
    line += token;
    col += token.size();
    i = end;
  }
  return line + "\r\n";
}

std::string render_raw(const mail_part& p) {
  std::string out;
  for (auto& [k, v] : p.headers) out += fold_header(k, v);
  out += "\r\n";
  if (p.is_multipart()) {
    auto boundary = *header_param(*p.header("Content-Type"), "boundary");
    if (!p.preamble.empty()) out += p.preamble + "\r\n";
    for (auto& child : p.parts) out += "--" + boundary + "\r\n" + render_raw(child) + "\r\n";
    out += "--" + boundary + "--\r\n";
    return out;
  }
  if (p.is_message()) return out + render_raw(p.parts[0]);
  auto cte = lower(p.header_or("Content-Transfer-Encoding"));
  if (cte == "base64") out += base64_lines(p.body);
  else if (cte == "quoted-printable") out += qp_encode(p.body);
  else out += p.body;
  return out;
}

namespace {

json header_list(const mail_part& p, const std::vector<std::string>* filter) {
  json hs = json::array();
  for (auto& [k, v] : p.headers) {
    if (filter && !filter->empty()) {
      bool keep = false;
      for (auto& f : *filter) keep = keep || iequals(f, k);
      if (!keep) continue;
    }
    hs.push_back({{"name", k}, {"value", rfc2047_decode(v)}});
  }
  return hs;
}

json part_json(const mail_part& p, const std::string& id, const payload_options& opt) {
  json j = {{"partId", id}, {"mimeType", p.mime_type()}, {"filename", p.filename()},
            {"headers", header_list(p, nullptr)}};
  auto child_id = [&](size_t i) { return id.empty() ? std::to_string(i) : id + "." + std::to_string(i); };
  if (p.is_multipart() || p.is_message()) {
    json body = {{"size", 0}};
    if (p.is_message() && !p.filename().empty() && opt.attachment_id)
      body = {{"attachmentId", opt.attachment_id(id)}, {"size", render_raw(p.parts[0]).size()}};
    j["body"] = body;
    json parts = json::array();
    for (size_t i = 0; i < p.parts.size(); ++i) parts.push_back(part_json(p.parts[i], child_id(i), opt));
    j["parts"] = parts;
    return j;
  }
  auto type = p.mime_type();
  bool text = type.rfind("text/", 0) == 0;
  bool as_attachment = !p.filename().empty() || !text ||
                       (opt.large_body_threshold && p.body.size() > opt.large_body_threshold);
  if (p.body.empty()) j["body"] = {{"size", 0}};
  else if (as_attachment && opt.attachment_id)
    j["body"] = {{"attachmentId", opt.attachment_id(id)}, {"size", p.body.size()}};
  else j["body"] = {{"size", p.body.size()}, {"data", core::base64url_encode(p.body, true)}};
  return j;
}

const mail_part* first_text(const mail_part& p, std::string_view type) {
  if (p.is_multipart()) {
    for (auto& c : p.parts)
      if (auto r = first_text(c, type)) return r;
    return nullptr;
  }
  if (p.is_message()) return nullptr;   // forwarded mail is not the message's own text
  if (p.mime_type() == type && p.filename().empty()) return &p;
  return nullptr;
}

std::string strip_html(std::string_view h) {
  std::string out;
  for (size_t i = 0; i < h.size();) {
    if (h[i] == '<') {
      auto l = lower(h.substr(i, 8));
      for (std::string_view skip : {"<style", "<script", "<head"}) {
        if (l.rfind(skip, 0) == 0) {
          auto close = lower(h).find("</" + std::string(skip.substr(1)), i);
          i = close == std::string::npos ? h.size() : close;
          break;
        }
      }
      auto gt = h.find('>', i);
      i = gt == std::string_view::npos ? h.size() : gt + 1;
      out += ' ';
      continue;
    }
    if (h[i] == '&') {
      auto semi = h.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        auto ent = h.substr(i + 1, semi - i - 1);
        std::string rep = ent == "amp" ? "&" : ent == "lt" ? "<" : ent == "gt" ? ">"
                        : ent == "quot" ? "\"" : ent == "nbsp" ? " " : ent == "#39" ? "'" : "";
        if (!rep.empty()) {
          out += rep;
          i = semi + 1;
          continue;
        }
      }
    }
    out += h[i++];
  }
  return out;
}

} // namespace

json render_payload(const mail_part& root, const payload_options& opt) {
  if (opt.headers_only)
    return {{"mimeType", root.mime_type()}, {"headers", header_list(root, &opt.header_filter)}};
  return part_json(root, "", opt);
}

const mail_part* find_part(const mail_part& root, std::string_view id) {
  const mail_part* p = &root;
  while (!id.empty()) {
    auto dot = id.find('.');
    auto seg = id.substr(0, dot);
    if (seg.empty() || seg.find_first_not_of("0123456789") != std::string_view::npos) return nullptr;
    size_t idx = std::stoul(std::string(seg));
    if (idx >= p->parts.size()) return nullptr;
    p = &p->parts[idx];
    id = dot == std::string_view::npos ? std::string_view{} : id.substr(dot + 1);
  }
  return p;
}

std::string make_snippet(const mail_part& root) {
  std::string text;
  if (auto p = first_text(root, "text/plain")) text = to_utf8(p->body, p->charset());
  else if (auto h = first_text(root, "text/html")) text = strip_html(to_utf8(h->body, h->charset()));
  std::string flat;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (chars >= 200 && (uint8_t(c) & 0xC0) != 0x80) break;
    bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (ws) {
      if (!flat.empty() && flat.back() != ' ') { flat += ' '; ++chars; }
      continue;
    }
    if ((uint8_t(c) & 0xC0) != 0x80) ++chars;
    flat += c;
  }
  return core::html_escape(trim(flat));
}

} // namespace gc::sim

// part_node tree -> canonical message: header fields, body choice, attachments.
#include "mime/html_text.hpp"
#include "mime/parse.hpp"
#include "mime/part_tree.hpp"

namespace gc::mime::detail {
namespace {

struct bodies {
  std::string plain, html;
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string part_label(const part_node& p) {   // for warnings: bounded, valid UTF-8
  return make_valid_utf8(p.mime_type.substr(0, 40) + " part " +
                         (p.part_id.empty() ? std::string("(root)") : p.part_id.substr(0, 40)));
}

std::string crlf_to_lf(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += s[i] == '\r' ? '\n' : s[i];
  }
  return out;
}

std::string header_or_empty(const std::vector<header_field>& hs, std::string_view name) {
  auto h = find_header(hs, name);
  return h ? *h : std::string{};
}

embedded_message summarize(context& cx, const part_node& root) {
  embedded_message e;
  e.message_id = normalize_message_id(header_or_empty(root.headers, "Message-ID"));
  e.subject = decode_text(cx, header_or_empty(root.headers, "Subject"));
  auto from = addresses_of(cx, root.headers, "From");
  if (!from.empty()) e.from = from.front();
  e.to = addresses_of(cx, root.headers, "To");
  e.cc = addresses_of(cx, root.headers, "Cc");
  e.date = parse_date(header_or_empty(root.headers, "Date"));
  return e;
}

attachment make_attachment(const part_node& p) {
  attachment a;
  a.part_id = p.part_id;
  a.filename = p.filename;
  a.mime_type = p.mime_type;
  a.size = p.size;
  a.content_id = p.content_id;
  if (p.disposition == "inline" || p.disposition == "attachment") a.disposition = p.disposition;
  else a.disposition = (!p.content_id.empty() && p.filename.empty()) ? "inline" : "attachment";
  a.gmail_attachment_id = p.gmail_attachment_id;
  a.data = p.body;
  return a;
}

void walk(context& cx, const part_node& p, int depth, bodies& b, std::vector<attachment>& atts) {
  if (depth > max_depth) {
    if (!cx.depth_warned) cx.warn("MIME nesting deeper than " + std::to_string(max_depth) + " levels; deeper parts ignored");
    cx.depth_warned = true;
    return;
  }
  if (starts_with(p.mime_type, "multipart/")) {
    if (p.children.empty()) cx.warn("empty " + part_label(p));
    if (p.mime_type == "multipart/alternative") {
      // text: the first alternative that has plain text; html: the last (richest) with HTML.
      std::string plain, html;
      for (auto& c : p.children) {
        bodies sub;
        walk(cx, c, depth + 1, sub, atts);
        if (plain.empty() && !sub.plain.empty()) plain = std::move(sub.plain);
        if (!sub.html.empty()) html = std::move(sub.html);
      }
      b.plain += plain;
      b.html += html;
      return;
    }
    for (auto& c : p.children) walk(cx, c, depth + 1, b, atts);
    return;
  }
  if (p.mime_type == "message/rfc822" || p.mime_type == "message/global") {
    attachment a = make_attachment(p);
    a.disposition = p.disposition == "inline" ? "inline" : "attachment";
    if (!p.children.empty()) a.embedded = summarize(cx, p.children.front());
    if (a.filename.empty() && a.embedded && !a.embedded->subject.empty()) a.filename = a.embedded->subject + ".eml";
    atts.push_back(std::move(a));
    bodies ignored;   // a forwarded mail's text is not this message's text
    for (auto& c : p.children) walk(cx, c, depth + 1, ignored, atts);
    return;
  }
  bool text = p.mime_type == "text/plain" || p.mime_type == "text/html";
  bool body_part = text && p.disposition != "attachment" && p.filename.empty();
  if (body_part && p.body) {
    auto s = to_utf8(cx, *p.body, p.charset, part_label(p));
    auto& out = p.mime_type == "text/plain" ? b.plain : b.html;
    if (!out.empty() && p.mime_type == "text/plain" && out.back() != '\n') out += '\n';
    out += s;
    return;
  }
  if (body_part && !p.gmail_attachment_id.empty())
    cx.warn(part_label(p) + " body not inline (attachmentId); listed as an attachment");
  if (!p.body && p.gmail_attachment_id.empty() && p.filename.empty()) return;   // nothing to fetch
  if (p.size == 0 && p.filename.empty() && p.gmail_attachment_id.empty()) return;  // empty, unnamed
  atts.push_back(make_attachment(p));
}

std::string list_id_of(context& cx, const std::vector<header_field>& hs) {
  auto v = decode_text(cx, header_or_empty(hs, "List-Id"));
  auto lt = v.rfind('<');
  auto gt = v.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) v = v.substr(lt + 1, gt - lt - 1);
  return ascii_lower(trim(v));
}

std::string first_token(const std::string& v) {
  auto semi = v.find_first_of(";(");
  return make_valid_utf8(ascii_lower(trim(v.substr(0, semi))));
}

} // namespace

std::string child_id(const std::string& parent, size_t index) {
  return parent.empty() ? std::to_string(index) : parent + "." + std::to_string(index);
}

std::vector<address> addresses_of(context& cx, const std::vector<header_field>& hs, std::string_view name) {
  std::vector<address> out;
  for (auto& h : hs)   // every occurrence: duplicated To/Cc headers are merged
    if (iequals(h.name, name))
      for (auto& a : parse_addresses(cx, h.value)) out.push_back(std::move(a));
  return out;
}

root_addresses read_root_addresses(const std::vector<header_field>& hs) {
  context scratch;
  auto read = [&](std::string_view name) {
    // A warning the scratch context drops as a repeat of an earlier header's is dropped by the
    // message's context too: that header's replay comes first.
    const size_t before = scratch.warnings.size();
    parsed_addresses p;
    p.list = addresses_of(scratch, hs, name);
    p.warnings.assign(scratch.warnings.begin() + static_cast<std::ptrdiff_t>(before), scratch.warnings.end());
    return p;
  };
  root_addresses r;
  r.from = read("From");
  r.to = read("To");
  r.cc = read("Cc");
  r.bcc = read("Bcc");
  return r;
}

namespace {

std::vector<address> take_or_parse(context& cx, const std::vector<header_field>& hs, std::string_view name,
                                   parsed_addresses* pre) {
  if (!pre) return addresses_of(cx, hs, name);
  for (auto& w : pre->warnings) cx.warn(std::move(w));
  return std::move(pre->list);
}

} // namespace

message assemble(context& cx, const part_node& root, root_addresses* pre) {
  message m;
  auto& hs = root.headers;
  m.message_id_raw = make_valid_utf8(header_or_empty(hs, "Message-ID"));
  m.message_id = normalize_message_id(m.message_id_raw);
  if (m.message_id_raw.empty()) cx.warn("no Message-ID header");
  else if (m.message_id.empty()) cx.warn("malformed Message-ID header");
  auto irt = parse_message_ids(cx, header_or_empty(hs, "In-Reply-To"));
  if (!irt.empty()) m.in_reply_to = irt.front();
  m.references = parse_message_ids(cx, header_or_empty(hs, "References"));

  m.subject = decode_text(cx, header_or_empty(hs, "Subject"));
  auto from = take_or_parse(cx, hs, "From", pre ? &pre->from : nullptr);
  if (!from.empty()) m.from = from.front();
  else if (find_header(hs, "From")) cx.warn("unparseable From header");
  m.sender = addresses_of(cx, hs, "Sender");
  m.to = take_or_parse(cx, hs, "To", pre ? &pre->to : nullptr);
  m.cc = take_or_parse(cx, hs, "Cc", pre ? &pre->cc : nullptr);
  m.bcc = take_or_parse(cx, hs, "Bcc", pre ? &pre->bcc : nullptr);
  m.reply_to = addresses_of(cx, hs, "Reply-To");

  m.date_raw = make_valid_utf8(header_or_empty(hs, "Date"));
  m.date = parse_date(m.date_raw);
  if (!m.date)
    cx.warn(m.date_raw.empty() ? std::string("no Date header")
                               : "broken Date header: " + make_valid_utf8(m.date_raw.substr(0, 60)));

  m.list_id = list_id_of(cx, hs);
  m.has_list_unsubscribe = find_header(hs, "List-Unsubscribe") != nullptr;
  m.auto_submitted = first_token(header_or_empty(hs, "Auto-Submitted"));
  if (m.auto_submitted == "no") m.auto_submitted.clear();
  m.precedence = first_token(header_or_empty(hs, "Precedence"));
  m.automated = !m.auto_submitted.empty() || !m.list_id.empty() || m.precedence == "bulk" ||
                m.precedence == "list" || m.precedence == "junk" || m.precedence == "auto_reply";

  bodies b;
  walk(cx, root, 0, b, m.attachments);
  m.html_body = std::move(b.html);
  if (!b.plain.empty()) {
    m.text_body = crlf_to_lf(std::move(b.plain));
  } else if (!m.html_body.empty()) {
    std::vector<std::string> notes;
    m.text_body = html_to_text(m.html_body, &notes);
    for (auto& n : notes) cx.warn(std::move(n));
    m.text_from_html = true;
  }
  m.parse_warnings = cx.warnings;
  return m;
}

} // namespace gc::mime::detail

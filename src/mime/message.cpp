// Canonical message helpers: Message-ID normalization, the fallback key, JSON.
#include "mime/message.hpp"

#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "mime/gobj.hpp"

#include <algorithm>

namespace gc::mime {
namespace {

bool bad_id_char(unsigned char c) { return c <= 0x20 || c == 0x7f || c == '<' || c == '>'; }

std::string strip_brackets(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  if (e - b >= 2 && s[b] == '<' && s[e - 1] == '>') ++b, --e;
  return std::string(s.substr(b, e - b));
}

std::string collapse_ws(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json address_list(const std::vector<address>& v) {
  json a = json::array();
  for (auto& x : v) a.push_back(to_json(x));
  return a;
}

json attachment_json(const attachment& a, bool include_data) {
  json j = {{"part_id", a.part_id}, {"filename", a.filename}, {"mime_type", a.mime_type},
            {"size", a.size}, {"content_id", a.content_id}, {"disposition", a.disposition},
            {"gmail_attachment_id", a.gmail_attachment_id}, {"has_data", a.data.has_value()}};
  if (a.data) {
    j["sha256"] = core::sha256_hex(*a.data);
    if (include_data) j["data"] = core::base64_encode(*a.data);
  }
  if (a.embedded) {
    auto& e = *a.embedded;
    j["embedded"] = {{"message_id", e.message_id}, {"subject", e.subject},
                     {"from", e.from ? to_json(*e.from) : json(nullptr)},
                     {"to", address_list(e.to)}, {"cc", address_list(e.cc)},
                     {"date", optional_string(e.date)}};
  }
  return j;
}

} // namespace

std::string normalize_message_id(std::string_view raw) {
  std::string id;
  // Comments or quoting: let GMime decode. (Two memchr scans; find_first_of calls memchr per character.)
  if (raw.find('(') != std::string_view::npos || raw.find('"') != std::string_view::npos) {
    init_gmime_once();
    std::string tmp(raw.substr(0, 4096));
    gchar_ptr d{g_mime_utils_decode_message_id(tmp.c_str())};
    id = d ? strip_brackets(d.get()) : std::string{};
  } else {
    id = strip_brackets(raw);
  }
  if (id.empty() || id.size() > 998) return {};
  if (!g_utf8_validate(id.data(), static_cast<gssize>(id.size()), nullptr)) return {};
  if (std::any_of(id.begin(), id.end(), [](char c) { return bad_id_char(static_cast<unsigned char>(c)); }))
    return {};
  auto at = id.rfind('@');
  if (at != std::string::npos)
    for (size_t i = at + 1; i < id.size(); ++i)
      if (id[i] >= 'A' && id[i] <= 'Z') id[i] = static_cast<char>(id[i] - 'A' + 'a');
  return id;
}

std::string fallback_key(const message& m) {
  auto emails = [](const std::vector<address>& v) {
    std::vector<std::string> out;
    for (auto& a : v) out.push_back(a.email);
    std::sort(out.begin(), out.end());
    return out;
  };
  json fields = json::array({
      "gc-fallback-v1",
      m.date ? *m.date : collapse_ws(m.date_raw),
      m.from ? m.from->email : std::string{},
      emails(m.to),
      emails(m.cc),
      collapse_ws(m.subject),
      core::sha256_hex(collapse_ws(m.text_body)),
  });
  return "sha256:" + core::sha256_hex(fields.dump(-1, ' ', false, json::error_handler_t::replace));
}

json to_json(const address& a) {
  return {{"name", a.name}, {"email", a.email}, {"email_raw", a.email_raw}, {"group", a.group}};
}

json to_json(const message& m, bool include_data) {
  json atts = json::array();
  for (auto& a : m.attachments) atts.push_back(attachment_json(a, include_data));
  json j = {
      {"message_id", m.message_id},
      {"message_id_raw", m.message_id_raw},
      {"in_reply_to", m.in_reply_to},
      {"references", m.references},
      {"subject", m.subject},
      {"from", m.from ? to_json(*m.from) : json(nullptr)},
      {"sender", address_list(m.sender)},
      {"to", address_list(m.to)},
      {"cc", address_list(m.cc)},
      {"bcc", address_list(m.bcc)},
      {"reply_to", address_list(m.reply_to)},
      {"date", optional_string(m.date)},
      {"date_raw", m.date_raw},
      {"internal_date_ms", m.internal_date_ms ? json(*m.internal_date_ms) : json(nullptr)},
      {"text_body", m.text_body},
      {"text_from_html", m.text_from_html},
      {"html_body", m.html_body},
      {"attachments", atts},
      {"list_id", m.list_id},
      {"has_list_unsubscribe", m.has_list_unsubscribe},
      {"auto_submitted", m.auto_submitted},
      {"precedence", m.precedence},
      {"automated", m.automated},
      {"gmail_id", m.gmail_id},
      {"gmail_thread_id", m.gmail_thread_id},
      {"history_id", m.history_id},
      {"snippet", m.snippet},
      {"label_ids", m.label_ids},
      {"parse_warnings", m.parse_warnings},
      {"fallback_key", fallback_key(m)},
  };
  return j;
}

} // namespace gc::mime

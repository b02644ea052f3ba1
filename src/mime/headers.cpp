// Header decoding shared by both front ends: unfolding, RFC 2047 text, address lists, dates,
// message-id lists.
#include "core/clock.hpp"
#include "mime/part_tree.hpp"

#include <chrono>

namespace gc::mime::detail {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Warn once per unknown charset named in an encoded word ("=?x-foo?Q?...?="): GMime decodes
// such words as latin-1 silently.
void check_word_charsets(context& cx, const std::string& v) {
  size_t pos = 0;
  int seen = 0;
  while ((pos = v.find("=?", pos)) != std::string::npos && seen++ < 16) {
    size_t q = v.find('?', pos + 2);
    if (q == std::string::npos || q - pos > 42) break;
    std::string cs = v.substr(pos + 2, q - pos - 2);
    if (auto star = cs.find('*'); star != std::string::npos) cs.resize(star);   // RFC 2231 language
    pos = q;
    if (cs.empty()) continue;
    gobj<GMimeFilter> f;
    if (plausible_charset_name(cs)) f = gobj<GMimeFilter>::adopt(g_mime_filter_charset_new(cs.c_str(), "UTF-8"));
    if (!f) cx.warn("unknown charset " + make_valid_utf8(cs) + " in a header treated as latin-1");
  }
}

void add_mailbox(std::vector<address>& out, InternetAddress* ia, const std::string& group) {
  auto* mb = INTERNET_ADDRESS_MAILBOX(ia);
  const char* addr = internet_address_mailbox_get_addr(mb);
  if (!addr || !*addr) return;
  address a;
  const char* name = internet_address_get_name(ia);
  a.name = make_valid_utf8(trim(name ? name : ""));
  a.email_raw = make_valid_utf8(trim(addr));
  a.email = ascii_lower(a.email_raw);   // ASCII only, like core/email_address.hpp
  a.group = group;
  out.push_back(std::move(a));
}

void add_list(std::vector<address>& out, InternetAddressList* list, const std::string& group, int depth) {
  if (!list || depth > 4) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);   // borrowed
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      add_mailbox(out, ia, group);
    } else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      const char* gname = internet_address_get_name(ia);
      add_list(out, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
               make_valid_utf8(trim(gname ? gname : "")), depth + 1);
    }
  }
}

} // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (g_ascii_tolower(a[i]) != g_ascii_tolower(b[i])) return false;
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = g_ascii_tolower(c);
  return out;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string unfold(std::string_view raw) {
  // Two memchr scans; find_first_of would call memchr once per character.
  if (raw.find('\r') == std::string_view::npos && raw.find('\n') == std::string_view::npos)
    return trim(raw);  // most values
  std::string out;
  out.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') out += c;
  return trim(out);
}

const std::string* find_header(const std::vector<header_field>& hs, std::string_view name) {
  for (auto& h : hs)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

std::string decode_text(context& cx, const std::string& value) {
  if (value.empty()) return {};
  if (value.find("=?") != std::string::npos) check_word_charsets(cx, value);
  gchar_ptr d{g_mime_utils_header_decode_text(cx.options.get(), value.c_str())};
  return make_valid_utf8(d ? std::string(d.get()) : value);
}

std::vector<address> parse_addresses(context& cx, const std::string& value) {
  std::vector<address> out;
  if (trim(value).empty()) return out;
  if (value.find("=?") != std::string::npos) check_word_charsets(cx, value);
  auto list = gobj<InternetAddressList>::adopt(internet_address_list_parse(cx.options.get(), value.c_str()));
  add_list(out, list.get(), "", 0);
  return out;
}

std::optional<std::string> parse_date(const std::string& value) {
  // Years 1900..2199 only: anything else is a broken header, and std::chrono's nanosecond
  // system_clock cannot represent years past 2262 anyway.
  constexpr int64_t min_secs = -2208988800LL, max_secs = 7258118400LL;
  if (value.empty()) return std::nullopt;
  date_time_ptr dt{g_mime_utils_header_decode_date(value.c_str())};
  if (dt) {
    auto secs = g_date_time_to_unix(dt.get());
    if (secs < min_secs || secs >= max_secs) return std::nullopt;
    return core::iso8601_utc(core::sys_time{std::chrono::seconds{secs}});
  }
  // "2021-03-04T05:06:07Z" (some bots): core's ISO parser, for plausible years only.
  if (value.size() < 4 || (value.compare(0, 2, "19") != 0 && value.compare(0, 2, "20") != 0 &&
                           value.compare(0, 2, "21") != 0))
    return std::nullopt;
  if (auto t = core::parse_iso8601(value)) return core::iso8601_utc(*t);
  return std::nullopt;
}

std::vector<std::string> parse_message_ids(context& cx, const std::string& value) {
  std::vector<std::string> out;
  if (value.empty()) return out;
  references_ptr refs{g_mime_references_parse(cx.options.get(), value.c_str())};
  int n = refs ? g_mime_references_length(refs.get()) : 0;
  for (int i = 0; i < n; ++i) {
    const char* id = g_mime_references_get_message_id(refs.get(), i);
    auto norm = normalize_message_id(id ? id : "");
    if (!norm.empty()) out.push_back(std::move(norm));
  }
  if (out.empty()) {   // not in <...> form at all: take it whole if it is a plausible id
    auto norm = normalize_message_id(value);
    if (!norm.empty()) out.push_back(std::move(norm));
  }
  return out;
}

} // namespace gc::mime::detail

// Body text -> UTF-8 through GMime's charset filter (iconv), with windows-1252 fallback.
#include "mime/part_tree.hpp"

namespace gc::mime::detail {
namespace {

bool valid_utf8(std::string_view s) {
  return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr);
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// nullopt when iconv does not know the charset.
std::optional<std::string> convert(std::string_view bytes, const char* charset) {
  if (!plausible_charset_name(charset)) return std::nullopt;
  auto filter = gobj<GMimeFilter>::adopt(g_mime_filter_charset_new(charset, "UTF-8"));
  if (!filter) return std::nullopt;
  auto mem = gobj<GMimeStream>::adopt(g_mime_stream_mem_new());
  auto filtered = gobj<GMimeStream>::adopt(g_mime_stream_filter_new(mem.get()));
  g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter.get());
  if (g_mime_stream_write(filtered.get(), bytes.data(), bytes.size()) < 0) return std::string{};
  g_mime_stream_flush(filtered.get());
  GByteArray* b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));  // owned by mem
  return make_valid_utf8(std::string(reinterpret_cast<const char*>(b->data), b->len));
}

std::string clip(std::string_view s) {
  return make_valid_utf8(std::string(s.substr(0, 40)));
}

} // namespace

bool plausible_charset_name(std::string_view name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name)
    if (!g_ascii_isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '+') return false;
  return true;
}

std::string make_valid_utf8(std::string s) {
  if (valid_utf8(s)) return s;
  gchar_ptr fixed{g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()))};
  return fixed ? std::string(fixed.get()) : std::string{};
}

std::string to_utf8(context& cx, std::string_view bytes, std::string_view charset_in, std::string_view where) {
  if (bytes.empty()) return {};
  std::string cs = ascii_lower(trim(charset_in));
  if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
  if (cs.empty() || cs == "us-ascii" || cs == "ascii" || cs == "utf-8" || cs == "utf8") {
    if (valid_utf8(bytes)) return std::string(bytes);
    if (cs == "utf-8" || cs == "utf8") {
      cx.warn("invalid UTF-8 in " + std::string(where) + " repaired");
      return make_valid_utf8(std::string(bytes));
    }
    cx.warn("8-bit text without a usable charset in " + std::string(where) + " treated as windows-1252");
    return convert(bytes, "windows-1252").value_or(std::string{});
  }
  if (is_ascii(bytes) && cs.find("2022") == std::string::npos && cs.find("utf-7") == std::string::npos &&
      cs.find("utf-16") == std::string::npos && cs.find("utf-32") == std::string::npos)
    return std::string(bytes);   // ASCII-compatible charsets leave ASCII alone: skip iconv
  // Mail labelled latin-1 is in practice windows-1252 (smart quotes, euro sign in 0x80-0x9f),
  // as in the WHATWG encoding standard. (Not via g_mime_charset_canon_name: in GMime 3.2.13
  // it reads past its table for "iso-8859-17".)
  std::string use = cs;
  for (auto alias : {"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso88591", "latin1",
                     "latin-1", "l1", "iso-ir-100", "cp819", "ibm819", "8859-1"})
    if (cs == alias) use = "windows-1252";
  if (auto out = convert(bytes, use.c_str())) return std::move(*out);
  if (valid_utf8(bytes)) {
    cx.warn("unknown charset " + clip(charset_in) + " in " + std::string(where) + " treated as UTF-8");
    return std::string(bytes);
  }
  cx.warn("unknown charset " + clip(charset_in) + " in " + std::string(where) + " treated as windows-1252");
  return convert(bytes, "windows-1252").value_or(std::string{});
}

} // namespace gc::mime::detail

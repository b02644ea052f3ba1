#include "http/content_safety.hpp"

#include "core/encoding.hpp"

#include <algorithm>
#include <array>

namespace gc::http {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// A character that ends a cid: URL inside an attribute or url(...).
bool ends_ref(char c) {
  return c == '"' || c == '\'' || c == '(' || c == ')' || c == '<' || c == '>' || c == ' ' ||
         c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

// Where a URL can start: after a quote, '=', '(' or whitespace.
bool starts_ref(char c) { return c == '"' || c == '\'' || c == '=' || c == '(' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const store::attachment_ref* find_part(std::string_view cid, const std::vector<store::attachment_ref>& parts) {
  std::string id{cid};
  if (auto decoded = core::url_decode(cid, false)) id = *decoded;
  if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  if (id.empty()) return nullptr;
  for (const auto& p : parts)
    if (p.content_id == id) return &p;
  for (const auto& p : parts)
    if (!p.content_id.empty() && iequals(p.content_id, id)) return &p;
  return nullptr;
}

// host[:port] with DNS/IPv4 characters, or [IPv6][:port]; nothing that could end a CSP token.
bool plain_host(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  return std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '[' || c == ']';
  });
}

// Characters of a filename that are never passed on, in either form.
bool forbidden(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/' || c == ';' || c == '%';
}

// The length of the UTF-8 sequence starting at s[i] if it is valid, else 0.
size_t utf8_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  if (n == 2 && c < 0xc2) return 0;  // overlong
  return n;
}

constexpr std::array<std::string_view, 17> active_types = {
    "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
    "text/javascript", "application/javascript", "application/x-javascript", "text/ecmascript",
    "application/ecmascript", "text/xsl", "application/xslt+xml", "application/rss+xml",
    "application/atom+xml", "multipart/x-mixed-replace", "application/x-shockwave-flash",
    "text/vtt"};

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == '_';
}

} // namespace

std::string attachment_path(int64_t attachment_id) {
  return "/api/email/attachments/" + std::to_string(attachment_id);
}

std::string rewrite_cid_refs(std::string_view html, const std::vector<store::attachment_ref>& parts) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    bool at_ref = i + 4 <= html.size() && iequals(html.substr(i, 4), "cid:") &&
                  (i == 0 || starts_ref(html[i - 1]));
    if (!at_ref) {
      out += html[i++];
      continue;
    }
    size_t end = i + 4;
    auto close = end < html.size() && html[end] == '<' ? html.find('>', end) : std::string_view::npos;
    if (close != std::string_view::npos && close - end < 256) {
      end = close + 1;  // cid:<id> (angle brackets kept by some senders)
    } else {
      while (end < html.size() && !ends_ref(html[end])) ++end;
    }
    if (const auto* part = find_part(html.substr(i + 4, end - i - 4), parts)) {
      out += attachment_path(part->id);
    } else {
      out.append(html.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

std::string html_csp(std::string_view host) {
  std::string img = "cid:";
  if (plain_host(host)) {
    std::string h{host};
    img += " http://" + h + "/api/email/attachments/ https://" + h + "/api/email/attachments/";
  }
  return "sandbox; default-src 'none'; img-src " + img +
         "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
}

std::string content_disposition(std::string_view filename) {
  std::string clean;  // valid UTF-8 without forbidden characters
  for (size_t i = 0; i < filename.size();) {
    size_t n = utf8_len(filename, i);
    if (n == 0) {
      clean += '_';
      ++i;
      continue;
    }
    if (n == 1 && forbidden(static_cast<unsigned char>(filename[i]))) clean += '_';
    else clean.append(filename.substr(i, n));
    i += n;
  }
  // No leading dots or spaces (hidden files, "..").
  auto first = clean.find_first_not_of(". _");
  auto last = clean.find_last_not_of(" ");
  clean = first == std::string::npos ? std::string{} : clean.substr(first, last - first + 1);
  if (clean.size() > 200) {  // cut at a character boundary
    size_t keep = 0;
    while (keep < clean.size()) {
      size_t n = std::max<size_t>(utf8_len(clean, keep), 1);
      if (keep + n > 200) break;
      keep += n;
    }
    clean.resize(keep);
  }
  if (clean.empty()) clean = "attachment";

  std::string ascii;
  for (size_t i = 0; i < clean.size();) {
    size_t n = utf8_len(clean, i);
    ascii += n == 1 ? clean[i] : '_';
    i += n == 0 ? 1 : n;
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + core::url_encode(clean);
}

std::string safe_content_type(std::string_view stored) {
  std::string t;
  for (char c : stored.substr(0, stored.find(';'))) {
    if (c == ' ' || c == '\t') continue;
    t += lower(c);
  }
  auto slash = t.find('/');
  bool well_formed = slash != std::string::npos && slash > 0 && slash + 1 < t.size() &&
                     t.find('/', slash + 1) == std::string::npos &&
                     std::all_of(t.begin(), t.end(), [](char c) { return c == '/' || token_char(c); });
  if (!well_formed) return "application/octet-stream";
  for (auto a : active_types)
    if (t == a) return "application/octet-stream";
  if (t.size() > 4 && (t.ends_with("+xml") || t.ends_with("/xml"))) return "application/octet-stream";
  return t;
}

} // namespace gc::http

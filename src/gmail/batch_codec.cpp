#include "gmail/batch_codec.hpp"

#include "core/crypto.hpp"
#include "core/encoding.hpp"

#include <algorithm>
#include <cctype>

namespace gc::gmail {
namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The next line of `s` from `pos` (without its CRLF/LF); pos moves past the line break.
std::string_view next_line(std::string_view s, size_t& pos) {
  auto nl = s.find('\n', pos);
  std::string_view line = nl == std::string_view::npos ? s.substr(pos) : s.substr(pos, nl - pos);
  pos = nl == std::string_view::npos ? s.size() : nl + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Header lines up to the first empty line (lower-cased names). False if a line has no colon.
bool read_headers(std::string_view s, size_t& pos, std::map<std::string, std::string>& out) {
  while (pos < s.size()) {
    auto line = next_line(s, pos);
    if (line.empty()) return true;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    out[lower(trim(line.substr(0, colon)))] = std::string{trim(line.substr(colon + 1))};
  }
  return true;
}

// Offsets of every delimiter line "--boundary" (at the start of the body or of a line).
std::vector<size_t> delimiters(std::string_view body, const std::string& delim) {
  std::vector<size_t> out;
  for (size_t pos = body.find(delim); pos != std::string_view::npos; pos = body.find(delim, pos + 1))
    if (pos == 0 || body[pos - 1] == '\n') out.push_back(pos);
  return out;
}

gc::result<batch_inner_response> parse_part(std::string_view part) {
  batch_inner_response r;
  size_t pos = 0;
  std::map<std::string, std::string> outer;
  if (!read_headers(part, pos, outer)) return gc::error{"bad_batch", "a part has malformed headers"};
  if (auto it = outer.find("content-id"); it != outer.end()) {
    std::string_view id = trim(it->second);
    if (!id.empty() && id.front() == '<') id.remove_prefix(1);
    if (!id.empty() && id.back() == '>') id.remove_suffix(1);
    r.content_id = std::string{id};
  }
  while (pos < part.size()) {                    // the status line (skip stray blank lines)
    auto status_line = next_line(part, pos);
    if (status_line.empty()) continue;
    if (status_line.substr(0, 5) != "HTTP/") return gc::error{"bad_batch", "a part has no HTTP status line"};
    auto sp = status_line.find(' ');
    if (sp == std::string_view::npos) return gc::error{"bad_batch", "a part has a malformed status line"};
    auto code = status_line.substr(sp + 1, 3);
    if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return gc::error{"bad_batch", "a part has a malformed status code"};
    r.status = static_cast<unsigned>(std::stoi(std::string{code}));
    if (!read_headers(part, pos, r.headers)) return gc::error{"bad_batch", "a part has malformed inner headers"};
    r.body = std::string{part.substr(std::min(pos, part.size()))};
    return r;
  }
  return gc::error{"bad_batch", "a part has no HTTP status line"};
}

} // namespace

std::string batch_item_id(std::size_t index) { return "item-" + std::to_string(index + 1); }

std::optional<std::size_t> batch_item_index(std::string_view content_id) {
  if (content_id.rfind("response-", 0) == 0) content_id.remove_prefix(9);
  if (content_id.rfind("item-", 0) != 0) return std::nullopt;
  content_id.remove_prefix(5);
  if (content_id.empty() || content_id.size() > 9 ||
      !std::all_of(content_id.begin(), content_id.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto k = std::stoul(std::string{content_id});
  if (k == 0) return std::nullopt;
  return k - 1;
}

std::string make_batch_boundary() { return "batch_" + core::hex_encode(core::random_bytes(16)); }

std::string encode_batch_request(const std::vector<batch_inner_request>& items, const std::string& boundary) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    out += "--" + boundary + "\r\n";
    out += "Content-Type: application/http\r\n";
    out += "Content-ID: <" + batch_item_id(i) + ">\r\n\r\n";
    out += it.method + " " + it.target + "\r\n";
    for (const auto& [k, v] : it.headers) out += k + ": " + v + "\r\n";
    if (!it.body.empty()) out += "Content-Length: " + std::to_string(it.body.size()) + "\r\n";
    out += "\r\n";
    out += it.body;
    out += "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto lc = lower(content_type);
  if (lc.rfind("multipart/", 0) != 0) return std::nullopt;
  auto pos = lc.find("boundary=");
  while (pos != std::string::npos && pos > 0 && lc[pos - 1] != ';' && lc[pos - 1] != ' ' && lc[pos - 1] != '\t')
    pos = lc.find("boundary=", pos + 1);
  if (pos == std::string::npos) return std::nullopt;
  auto v = content_type.substr(pos + 9);
  std::string b;
  if (!v.empty() && v.front() == '"') {
    auto end = v.find('"', 1);
    if (end == std::string_view::npos) return std::nullopt;
    b = std::string{v.substr(1, end - 1)};
  } else {
    auto end = v.find_first_of("; \t");
    b = std::string{v.substr(0, end)};
  }
  if (b.empty()) return std::nullopt;
  return b;
}

gc::result<std::vector<batch_inner_response>> decode_batch_response(std::string_view content_type,
                                                                    std::string_view body) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return gc::error{"bad_batch", "the batch response is not multipart or has no boundary"};
  const std::string delim = "--" + *boundary;
  auto at = delimiters(body, delim);
  if (at.empty()) return gc::error{"bad_batch", "the batch response has no part delimiter"};
  std::vector<batch_inner_response> out;
  for (size_t i = 0; i < at.size(); ++i) {
    size_t after = at[i] + delim.size();
    if (body.substr(after, 2) == "--") break;                 // close delimiter
    size_t start = after;
    next_line(body, start);                                   // transport padding + line break
    size_t end = i + 1 < at.size() ? at[i + 1] : body.size();
    if (end > start && i + 1 < at.size()) {                   // the CRLF before a delimiter
      if (body[end - 1] == '\n') --end;                       // belongs to the delimiter
      if (end > start && body[end - 1] == '\r') --end;
    }
    auto part = parse_part(body.substr(start, end > start ? end - start : 0));
    if (!part) return part.error();
    out.push_back(std::move(*part));
  }
  return out;
}

} // namespace gc::gmail

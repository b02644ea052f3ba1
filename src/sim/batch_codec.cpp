#include "sim/batch_codec.hpp"

#include <cctype>

namespace gc::sim {
namespace {

using headers_t = std::vector<std::pair<std::string, std::string>>;

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

gc::error bad(std::string msg) { return gc::error{"bad_batch", std::move(msg)}; }

// Bodies of the parts between delimiter lines "--boundary"; stops at "--boundary--".
gc::result<std::vector<std::string_view>> split_parts(std::string_view body, std::string_view boundary) {
  const std::string delim = "--" + std::string{boundary};
  std::vector<std::string_view> parts;
  bool in_part = false, closed = false;
  size_t part_start = 0, pos = 0;
  while (pos <= body.size() && !closed) {
    size_t nl = body.find('\n', pos);
    size_t end = nl == std::string_view::npos ? body.size() : nl;
    auto line = trim(body.substr(pos, end - pos));
    bool is_delim = line == delim, is_close = line == delim + "--";
    if (is_delim || is_close) {
      if (in_part) {
        size_t stop = pos;  // drop the line break that belongs to the delimiter
        if (stop > part_start && body[stop - 1] == '\n') --stop;
        if (stop > part_start && body[stop - 1] == '\r') --stop;
        parts.push_back(body.substr(part_start, stop - part_start));
      }
      in_part = is_delim;
      closed = is_close;
      part_start = end + 1;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (in_part && part_start <= body.size()) parts.push_back(body.substr(part_start));  // unterminated
  if (parts.empty()) return bad("no parts with the boundary from the Content-Type");
  return parts;
}

// Reads "Name: value" lines until a blank line; returns the rest.
std::string_view read_headers(std::string_view s, headers_t& out) {
  while (!s.empty()) {
    size_t nl = s.find('\n');
    auto line = s.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out.emplace_back(std::string{trim(line.substr(0, colon))}, std::string{trim(line.substr(colon + 1))});
  }
  return s;
}

std::string_view first_line(std::string_view& s) {
  while (!s.empty() && (s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  size_t nl = s.find('\n');
  auto line = s.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
  return line;
}

std::string find_header(const headers_t& h, std::string_view name) {
  for (const auto& [k, v] : h)
    if (iequal(k, name)) return v;
  return {};
}

std::string strip_brackets(std::string v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

} // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto type = trim(content_type.substr(0, semi));
  if (type.size() < 10 || !iequal(type.substr(0, 10), "multipart/")) return std::nullopt;
  while (semi != std::string_view::npos) {
    auto rest = content_type.substr(semi + 1);
    semi = rest.find(';');
    auto param = trim(rest.substr(0, semi));
    content_type = rest;
    auto eq = param.find('=');
    if (eq == std::string_view::npos || !iequal(trim(param.substr(0, eq)), "boundary")) continue;
    auto v = trim(param.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (v.empty() || v.size() > 70) return std::nullopt;
    return std::string{v};
  }
  return std::nullopt;
}

gc::result<std::vector<mime_part>> split_multipart(std::string_view body, const std::string& boundary) {
  auto split = split_parts(body, boundary);
  if (!split) return split.error();
  std::vector<mime_part> out;
  for (auto raw : *split) {
    mime_part p;
    p.body = std::string{read_headers(raw, p.headers)};
    out.push_back(std::move(p));
  }
  return out;
}

gc::result<std::vector<batch_part>> parse_batch_request(std::string_view content_type,
                                                        std::string_view body) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return bad("the Content-Type is not multipart/mixed with a boundary");
  auto split = split_parts(body, *boundary);
  if (!split) return split.error();
  std::vector<batch_part> out;
  for (auto raw : *split) {
    headers_t part_headers;
    auto rest = read_headers(raw, part_headers);
    batch_part p;
    p.content_id = strip_brackets(find_header(part_headers, "Content-ID"));
    auto line = first_line(rest);
    auto sp1 = line.find(' ');
    if (line.empty() || sp1 == std::string_view::npos) return bad("a part has no request line");
    p.method = std::string{line.substr(0, sp1)};
    auto tail = trim(line.substr(sp1 + 1));
    auto sp2 = tail.find(' ');
    p.target = std::string{tail.substr(0, sp2)};
    if (sp2 != std::string_view::npos && trim(tail.substr(sp2 + 1)).substr(0, 5) != "HTTP/")
      return bad("a part has a malformed request line");
    if (p.target.empty()) return bad("a part has no request target");
    p.body = std::string{read_headers(rest, p.headers)};
    out.push_back(std::move(p));
  }
  return out;
}

std::string render_batch_response(const std::vector<batch_response_part>& parts,
                                  const std::string& boundary) {
  std::string out;
  for (const auto& p : parts) {
    const auto& r = p.response;
    out += "--" + boundary + "\r\n";
    out += "Content-Type: application/http\r\n";
    if (!p.content_id.empty()) out += "Content-ID: <response-" + p.content_id + ">\r\n";
    out += "\r\n";
    out += "HTTP/1.1 " + std::to_string(r.result_int()) + " " +
           std::string{http::bhttp::obsolete_reason(r.result())} + "\r\n";
    for (const auto& f : r) {
      auto name = std::string{f.name_string()};
      if (iequal(name, "Content-Length")) continue;
      out += name + ": " + std::string{f.value()} + "\r\n";
    }
    out += "Content-Length: " + std::to_string(r.body().size()) + "\r\n\r\n";
    out += r.body() + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string render_batch_request(const std::vector<batch_part>& parts, const std::string& boundary) {
  std::string out;
  for (const auto& p : parts) {
    out += "--" + boundary + "\r\nContent-Type: application/http\r\n";
    if (!p.content_id.empty()) out += "Content-ID: <" + p.content_id + ">\r\n";
    out += "\r\n" + p.method + " " + p.target + "\r\n";
    for (const auto& [k, v] : p.headers) out += k + ": " + v + "\r\n";
    out += "\r\n" + p.body + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

gc::result<std::vector<parsed_response_part>> parse_batch_response(std::string_view content_type,
                                                                   std::string_view body) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return bad("the Content-Type is not multipart/mixed with a boundary");
  auto split = split_parts(body, *boundary);
  if (!split) return split.error();
  std::vector<parsed_response_part> out;
  for (auto raw : *split) {
    headers_t part_headers;
    auto rest = read_headers(raw, part_headers);
    parsed_response_part p;
    p.content_id = strip_brackets(find_header(part_headers, "Content-ID"));
    auto line = first_line(rest);
    auto sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || line.substr(0, 5) != "HTTP/") return bad("a part has no status line");
    auto code = line.substr(sp1 + 1, 3);
    if (code.size() != 3) return bad("a part has no status code");
    for (char c : code)
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad("a part has a bad status code");
    p.status = static_cast<unsigned>(std::stoi(std::string{code}));
    p.body = std::string{read_headers(rest, p.headers)};
    out.push_back(std::move(p));
  }
  return out;
}

} // namespace gc::sim

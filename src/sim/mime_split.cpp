#include "sim/mime_split.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"

namespace gc::sim {
namespace {

constexpr int max_depth = 24;

// Position of `delim` at a line start in `body`, followed by "--", whitespace or line end.
size_t find_delim(std::string_view body, std::string_view delim, size_t from) {
  while (true) {
    size_t d = body.find(delim, from);
    if (d == std::string_view::npos) return d;
    bool line_start = d == 0 || body[d - 1] == '\n';
    size_t a = d + delim.size();
    bool ends = a >= body.size() || body[a] == '\r' || body[a] == '\n' || body[a] == ' ' ||
                body[a] == '\t' || body.substr(a, 2) == "--";
    if (line_start && ends) return d;
    from = d + 1;
  }
}

void parse_headers(std::string_view block, mail_part& p) {
  size_t i = 0;
  while (i < block.size()) {
    size_t eol = block.find('\n', i);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(i, eol - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    i = eol + 1;
    if (line.empty()) continue;
    if ((line[0] == ' ' || line[0] == '\t') && !p.headers.empty()) {
      p.headers.back().second += std::string(line);   // unfold: drop CRLF, keep the WSP
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;   // "From " line, garbage
    auto name = std::string(line.substr(0, colon));
    if (name.find(' ') != std::string::npos) continue;
    size_t v = colon + 1;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
    p.headers.emplace_back(std::move(name), std::string(line.substr(v)));
  }
}

mail_part parse_entity(std::string_view text, int depth) {
  mail_part p;
  size_t hb = text.find("\r\n\r\n"), hl = text.find("\n\n");
  size_t head_end, body_start;
  if (text.rfind("\r\n", 0) == 0 || text.rfind("\n", 0) == 0) {   // no headers at all
    head_end = 0;
    body_start = text[0] == '\r' ? 2 : 1;
  } else if (hb != std::string_view::npos && (hl == std::string_view::npos || hb < hl)) {
    head_end = hb;
    body_start = hb + 4;
  } else if (hl != std::string_view::npos) {
    head_end = hl;
    body_start = hl + 2;
  } else {
    head_end = text.size();
    body_start = text.size();
  }
  parse_headers(text.substr(0, head_end), p);
  std::string_view body = text.substr(body_start);
  if (depth < max_depth && p.is_multipart()) {
    std::string delim = "--" + *header_param(*p.header("Content-Type"), "boundary");
    bool first = true, closed = false;
    size_t start = 0, search = 0;
    while (true) {
      size_t d = find_delim(body, delim, search);
      if (d == std::string_view::npos) break;
      size_t end = d;
      if (end > 0 && body[end - 1] == '\n') {
        --end;
        if (end > 0 && body[end - 1] == '\r') --end;
      }
      if (first) p.preamble = std::string(body.substr(0, end));
      else p.parts.push_back(parse_entity(body.substr(start, end - start), depth + 1));
      first = false;
      size_t after = d + delim.size();
      if (body.substr(after, 2) == "--") {
        closed = true;
        break;
      }
      size_t eol = body.find('\n', after);
      start = search = eol == std::string_view::npos ? body.size() : eol + 1;
    }
    if (!first && !closed) p.parts.push_back(parse_entity(body.substr(start), depth + 1));
    if (!first) return p;
  }
  auto cte = lower(trim(p.header_or("Content-Transfer-Encoding")));
  std::string decoded;
  if (cte == "base64") {
    auto d = core::base64_decode(body);
    decoded = d ? *d : std::string(body);
  } else if (cte == "quoted-printable") {
    decoded = qp_decode(body);
  } else {
    decoded = std::string(body);
  }
  if (depth < max_depth && p.mime_type() == "message/rfc822") {
    p.parts.push_back(parse_entity(decoded, depth + 1));
    return p;
  }
  p.body = std::move(decoded);
  return p;
}

} // namespace

mail_part parse_message(std::string_view raw) { return parse_entity(raw, 0); }

std::string to_crlf(std::string_view t) {
  std::string out;
  out.reserve(t.size() + t.size() / 32);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r') {
      out += "\r\n";
      if (i + 1 < t.size() && t[i + 1] == '\n') ++i;
    } else if (t[i] == '\n') {
      out += "\r\n";
    } else {
      out += t[i];
    }
  }
  return out;
}

std::vector<std::string> split_mbox(std::string_view t) {
  std::vector<std::string> out;
  std::string cur;
  bool in_msg = false, prev_blank = true;
  size_t i = 0;
  while (i < t.size()) {
    size_t eol = t.find('\n', i);
    size_t next = eol == std::string_view::npos ? t.size() : eol + 1;
    std::string_view line = t.substr(i, next - i);
    i = next;
    if (line.rfind("From ", 0) == 0 && prev_blank) {
      if (in_msg) out.push_back(std::move(cur));
      cur.clear();
      in_msg = true;
      prev_blank = false;
      continue;
    }
    auto bare = line;
    while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
    prev_blank = bare.empty();
    if (!in_msg) continue;
    size_t g = 0;
    while (g < line.size() && line[g] == '>') ++g;
    if (g > 0 && line.substr(g, 5) == "From ") line.remove_prefix(1);
    cur += line;
  }
  if (in_msg) out.push_back(std::move(cur));
  for (auto& m : out) {   // the blank line before the next "From " belongs to the separator
    if (m.size() >= 2 && m.compare(m.size() - 2, 2, "\n\n") == 0) m.pop_back();
    else if (m.size() >= 4 && m.compare(m.size() - 4, 4, "\r\n\r\n") == 0) m.resize(m.size() - 2);
  }
  return out;
}

std::vector<std::string> message_id_list(std::string_view v) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = v.find('<', i)) != std::string_view::npos) {
    size_t e = v.find('>', i);
    if (e == std::string_view::npos) break;
    out.emplace_back(v.substr(i, e - i + 1));
    i = e + 1;
  }
  return out;
}

std::vector<std::string> address_list(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  int angle = 0;
  auto flush = [&] {
    auto lt = cur.find('<'), gt = cur.find('>');
    std::string a = lt != std::string::npos && gt != std::string::npos && gt > lt
                        ? cur.substr(lt + 1, gt - lt - 1) : cur;
    a = lower(trim(a));
    if (a.find('@') != std::string::npos) out.push_back(a);
    cur.clear();
  };
  for (char c : v) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '<') ++angle;
    if (!quoted && c == '>') --angle;
    if (c == ',' && !quoted && angle == 0) flush();
    else cur += c;
  }
  flush();
  return out;
}

} // namespace gc::sim

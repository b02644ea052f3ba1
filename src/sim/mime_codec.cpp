#include "sim/mime_codec.hpp"

#include "core/encoding.hpp"

#include <array>
#include <cstdint>

namespace gc::sim {
namespace {

constexpr char hexdig[] = "0123456789ABCDEF";

// windows-1252 0x80..0x9F; 0 = undefined (kept as the C1 control code point).
constexpr std::array<uint16_t, 32> cp1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// Next code point of UTF-8 text; invalid bytes are returned as themselves.
uint32_t next_cp(std::string_view s, size_t& i) {
  auto b = uint8_t(s[i]);
  int n = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (n <= 0 || i + n >= s.size()) {
    ++i;
    return b;
  }
  uint32_t cp = b & (0x3F >> n);
  for (int k = 1; k <= n; ++k) cp = (cp << 6) | (uint8_t(s[i + k]) & 0x3F);
  i += n + 1;
  return cp;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

} // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return std::string(s.substr(b, e - b));
}

std::string qp_encode(std::string_view in) {
  std::string out;
  size_t col = 0;
  auto emit = [&](std::string_view tok) {
    if (col + tok.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += tok;
    col += tok.size();
  };
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = uint8_t(in[i]);
    if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') {
      out += "\r\n";
      col = 0;
      ++i;
      continue;
    }
    bool at_eol = i + 1 == in.size() || in[i + 1] == '\r';
    bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
    if (plain) {
      char ch = char(c);
      emit(std::string_view(&ch, 1));
    } else {
      char tok[3] = {'=', hexdig[c >> 4], hexdig[c & 15]};
      emit(std::string_view(tok, 3));
    }
  }
  return out;
}

std::string qp_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
      continue;
    }
    if (i + 2 < in.size() && hexval(in[i + 1]) >= 0 &&
        hexval(in[i + 2]) >= 0) {
      out += char(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
      i += 2;
      continue;
    }
    size_t j = i + 1;   // soft line break: '=' [spaces] CRLF|LF
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    if (j < in.size() && in[j] == '\r') ++j;
    if (j < in.size() && in[j] == '\n') {
      i = j;
      continue;
    }
    if (j >= in.size()) break;
    out += '=';
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  auto flat = core::base64_encode(bytes);
  std::string out;
  out.reserve(flat.size() + flat.size() / 38 + 2);
  for (size_t i = 0; i < flat.size(); i += 76) {
    out.append(flat, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  auto cs = lower(charset);
  bool latin1 = cs == "iso-8859-1" || cs == "latin1" || cs == "iso8859-1" || cs == "latin-1";
  bool win = cs == "windows-1252" || cs == "cp1252";
  if (!latin1 && !win) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    auto b = uint8_t(ch);
    uint32_t cp = b;
    if (win && b >= 0x80 && b < 0xA0 && cp1252[b - 0x80]) cp = cp1252[b - 0x80];
    put_utf8(out, cp);
  }
  return out;
}

std::string from_utf8(std::string_view utf8, std::string_view charset) {
  auto cs = lower(charset);
  bool latin1 = cs == "iso-8859-1";
  bool win = cs == "windows-1252";
  if (!latin1 && !win) return std::string(utf8);
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = next_cp(utf8, i);
    if (cp < 0x80 || (cp >= 0xA0 && cp < 0x100)) {
      out += char(cp);
      continue;
    }
    char mapped = '?';
    if (win)
      for (size_t k = 0; k < cp1252.size(); ++k)
        if (cp1252[k] == cp) mapped = char(0x80 + k);
    out += mapped;
  }
  return out;
}

} // namespace gc::sim

#include "core/json_scan.hpp"

#include <array>
#include <charconv>

namespace gc {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {  // cp < 0x10000, not a surrogate
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A byte a string can hold as it is: printable ASCII other than the quote and the backslash.
constexpr std::array<bool, 256> plain_table() {
  std::array<bool, 256> t{};
  for (int u = 0x20; u < 0x80; ++u) t[static_cast<size_t>(u)] = u != '"' && u != '\\';
  return t;
}
constexpr auto plain_bytes = plain_table();
bool plain(char c) { return plain_bytes[static_cast<unsigned char>(c)]; }

} // namespace

bool json_scanner::literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
    return false;
  p_ += word.size();
  return true;
}

// Plain runs are copied at once.
bool json_scanner::string(std::string& out) {
  ++p_;
  for (;;) {
    const char* run = p_;
    while (p_ != end_ && plain(*p_)) ++p_;
    out.append(run, p_);
    if (p_ == end_) return false;
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') return ++p_, true;
    if (c == '\\') {
      if (!escape(out)) return false;
    } else if (c < 0x20 || !utf8_sequence(out)) {
      return false;
    }
  }
}

bool json_scanner::string(std::string_view& out, std::string& spill) {
  const char* start = p_ + 1;
  const char* q = start;
  while (q != end_ && plain(*q)) ++q;
  if (q != end_ && *q == '"') {
    out = std::string_view(start, static_cast<size_t>(q - start));
    p_ = q + 1;
    return true;
  }
  spill.clear();
  if (!string(spill)) return false;
  out = spill;
  return true;
}

bool json_scanner::escape(std::string& out) {
  if (end_ - p_ < 2) return false;
  const char c = p_[1];
  p_ += 2;
  switch (c) {
    case '"': out += '"'; return true;
    case '\\': out += '\\'; return true;
    case '/': out += '/'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'u': {
      if (end_ - p_ < 4) return false;
      unsigned cp = 0;
      for (int i = 0; i < 4; ++i) {
        const int d = hex_digit(p_[i]);
        if (d < 0) return false;
        cp = cp * 16 + static_cast<unsigned>(d);
      }
      p_ += 4;
      if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogate pairs: nlohmann's
      append_utf8(out, cp);
      return true;
    }
    default: return false;
  }
}

// One well-formed UTF-8 sequence of 2-4 bytes (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), the same ranges nlohmann's lexer accepts.
bool json_scanner::utf8_sequence(std::string& out) {
  const auto b = [this](size_t i) { return static_cast<unsigned char>(p_[i]); };
  const unsigned char c = b(0);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return false;
  if (static_cast<size_t>(end_ - p_) < n || b(1) < lo || b(1) > hi) return false;
  for (size_t i = 2; i < n; ++i)
    if (b(i) < 0x80 || b(i) > 0xBF) return false;
  out.append(p_, n);
  p_ += n;
  return true;
}

bool json_scanner::integer(integer_value& out) {
  if (p_ == end_) return false;
  const char* start = p_;
  out.negative = *p_ == '-';
  if (out.negative) ++p_;
  if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
  if (*p_ == '0') ++p_;
  else
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
  if (p_ != end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E'))
    return false;  // a leading zero (invalid), a fraction or an exponent
  if (out.negative) {
    auto [end, ec] = std::from_chars(start, p_, out.s);
    return ec == std::errc{} && end == p_;
  }
  auto [end, ec] = std::from_chars(start, p_, out.u);
  return ec == std::errc{} && end == p_;
}

bool json_scanner::skip_value(int depth) {
  if (p_ == end_) return false;
  switch (*p_) {
    case '{': return object(depth + 1, [&](std::string_view) { return skip_value(depth + 1); });
    case '[': return array(depth + 1, [&] { return skip_value(depth + 1); });
    case '"': {
      std::string_view v;
      std::string spill;
      return string(v, spill);
    }
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    default: {
      integer_value v;
      return integer(v);
    }
  }
}

} // namespace gc

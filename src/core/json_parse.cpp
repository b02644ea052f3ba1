#include "core/json_parse.hpp"

#include <charconv>
#include <cstdint>

namespace gc {
namespace {

constexpr int max_depth = 256;

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
bool plain(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

// Recursive descent over [p_, end_). Every member returns false where the text is not JSON or
// is JSON it leaves to nlohmann (see the header); the caller then starts over with nlohmann.
class reader {
public:
  explicit reader(std::string_view text) : p_{text.data()}, end_{text.data() + text.size()} {}

  bool document(json& out) {
    skip_ws();
    if (!value(out, 0)) return false;
    skip_ws();
    return p_ == end_;
  }

private:
  const char* p_;
  const char* end_;

  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        if (!literal("true")) return false;
        out = true;
        return true;
      case 'f':
        if (!literal("false")) return false;
        out = false;
        return true;
      case 'n':
        if (!literal("null")) return false;
        out = nullptr;
        return true;
      default: return integer(out);
    }
  }

  bool object(json& out, int depth) {
    if (depth > max_depth) return false;
    ++p_;
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_ws();
    if (p_ != end_ && *p_ == '}') return ++p_, true;
    for (;;) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return false;
      std::string key;
      if (!string(key)) return false;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_ws();
      json v;
      if (!value(v, depth)) return false;
      members[std::move(key)] = std::move(v);  // a repeated name: the last value, as nlohmann
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == '}') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  bool array(json& out, int depth) {
    if (depth > max_depth) return false;
    ++p_;
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    skip_ws();
    if (p_ != end_ && *p_ == ']') return ++p_, true;
    for (;;) {
      skip_ws();
      items.emplace_back();
      if (!value(items.back(), depth)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ']') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  // -?(0|[1-9][0-9]*) within 64 bits: unsigned without a sign, signed with one (as nlohmann).
  bool integer(json& out) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0') ++p_;
    else
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ != end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E'))
      return false;  // a leading zero (invalid), a fraction or an exponent
    if (negative) {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(start, p_, v);
      if (ec != std::errc{} || end != p_) return false;
      out = v;
    } else {
      uint64_t v = 0;
      auto [end, ec] = std::from_chars(start, p_, v);
      if (ec != std::errc{} || end != p_) return false;
      out = v;
    }
    return true;
  }

  // From the opening quote to past the closing one; plain runs are copied at once.
  bool string(std::string& out) {
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

  bool escape(std::string& out) {
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
  bool utf8_sequence(std::string& out) {
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
};

} // namespace

bool parse_json_direct(std::string_view text, json& out) {
  json v;
  if (!reader{text}.document(v)) return false;
  out = std::move(v);
  return true;
}

json parse_json(std::string_view text) {
  json out;
  if (parse_json_direct(text, out)) return out;
  return json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace gc

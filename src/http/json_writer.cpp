#include "http/json_writer.hpp"

namespace gc::http {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// At s[i], a byte >= 0x80: how many bytes to take and whether they are one valid UTF-8
// character. Invalid input is cut the way dump's replace handler cuts it (Unicode's "maximal
// subpart"): a bad lead byte alone; otherwise the lead byte and the continuation bytes that
// still fitted, the first byte that did not fit being read again as the start of what follows.
struct utf8_step {
  size_t length;
  bool valid;
};

utf8_step utf8_at(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;             // no overlong forms
  else if (c == 0xED) n = 3, hi = 0x9F;             // no UTF-16 surrogates
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;             // no overlong forms
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;             // nothing above U+10FFFF
  else return {1, false};                           // a continuation byte, C0/C1, F5..FF
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return {k, false};
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return {k, false};
  }
  return {n, true};
}

} // namespace

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (!first_.back()) out_.push_back(',');
  first_.back() = false;
}

void json_writer::string(std::string_view s) {
  out_.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const auto step = utf8_at(s, i);
      if (step.valid) out_.append(s.substr(i, step.length));
      else out_ += replacement;
      i += step.length;
      continue;
    }
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_.push_back(hex[c >> 4]);
          out_.push_back(hex[c & 0xF]);
        } else {
          out_.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out_.push_back('"');
}

json_writer& json_writer::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_object() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_array() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  separate();
  string(k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view s) {
  separate();
  string(s);
  return *this;
}

json_writer& json_writer::value(const std::optional<std::string>& s) {
  return s ? value(std::string_view{*s}) : null();
}

json_writer& json_writer::value(int64_t n) {
  separate();
  out_ += std::to_string(n);
  return *this;
}

json_writer& json_writer::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}

json_writer& json_writer::value(const json& j) {
  separate();
  out_ += j.dump(-1, ' ', false, json::error_handler_t::replace);
  return *this;
}

} // namespace gc::http

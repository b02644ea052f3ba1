#include "core/encoding.hpp"

#include <array>
#include <cstdint>

namespace gc::core {
namespace {

constexpr char std_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char url_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view in, const char* alpha, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += alpha[(v >> 18) & 63];
    out += alpha[(v >> 12) & 63];
    out += alpha[(v >> 6) & 63];
    out += alpha[v & 63];
  }
  if (size_t rest = in.size() - i; rest > 0) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (rest == 2) v |= uint8_t(in[i + 1]) << 8;
    out += alpha[(v >> 18) & 63];
    out += alpha[(v >> 12) & 63];
    if (rest == 2) out += alpha[(v >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

constexpr std::array<int8_t, 256> decode_table() {
  std::array<int8_t, 256> t{};
  for (auto& x : t) x = -1;
  for (int i = 0; i < 64; ++i) {
    t[static_cast<uint8_t>(std_alpha[i])] = static_cast<int8_t>(i);
    t[static_cast<uint8_t>(url_alpha[i])] = static_cast<int8_t>(i);
  }
  return t;
}
constexpr auto dtab = decode_table();

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, std_alpha, true); }
std::string base64url_encode(std::string_view bytes, bool pad) {
  return encode(bytes, url_alpha, pad);
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');  // room for every symbol's bits
  size_t o = 0, i = 0;
  // Whole quads of symbols, three bytes at a time; at the first quad holding anything else
  // (white space, padding, an invalid byte) the careful loop below takes over, at a quad
  // boundary, so it starts from the same state as if it had read everything.
  for (; i + 4 <= text.size(); i += 4) {
    const int a = dtab[static_cast<uint8_t>(text[i])], b = dtab[static_cast<uint8_t>(text[i + 1])];
    const int c = dtab[static_cast<uint8_t>(text[i + 2])], d = dtab[static_cast<uint8_t>(text[i + 3])];
    if ((a | b | c | d) < 0) break;
    out[o++] = static_cast<char>((a << 2) | (b >> 4));
    out[o++] = static_cast<char>(((b & 15) << 4) | (c >> 2));
    out[o++] = static_cast<char>(((c & 3) << 6) | d);
  }
  uint32_t acc = 0;
  int bits = 0;
  size_t symbols = 0, pads = 0;
  for (char c : text.substr(i)) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') { ++pads; continue; }
    if (pads) return std::nullopt;  // data after padding
    int8_t v = dtab[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    ++symbols;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  out.resize(o);
  // A lone trailing symbol is not base64; padding, when present, must complete the last quad
  // ("QQ==", "QUI="), not be partial ("QQ=") or stray ("QUJD=").
  size_t rest = symbols % 4;
  if (rest == 1) return std::nullopt;
  if (pads && !((rest == 2 && pads == 2) || (rest == 3 && pads == 1))) return std::nullopt;
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '_' || c == '.' || c == '~') {  // not isalnum: locale-free
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::optional<std::string> url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace gc::core

// RFC 2047 encoded words and RFC 2045/2231 header parameters.
#include "sim/mime_codec.hpp"

#include "core/encoding.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace gc::sim {
namespace {

constexpr char hexdig[] = "0123456789ABCDEF";

size_t utf8_len(uint8_t b) {
  return b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
}

std::string q_encode_bytes(std::string_view bytes) {
  std::string out;
  for (char ch : bytes) {
    auto c = uint8_t(ch);
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
    if (c == ' ') out += '_';
    else if (safe) out += char(c);
    else {
      out += '=';
      out += hexdig[c >> 4];
      out += hexdig[c & 15];
    }
  }
  return out;
}

std::string pct_decode(std::string_view s) {
  auto d = core::url_decode(s, false);
  return d ? *d : std::string(s);
}

} // namespace

std::string rfc2047_encode(std::string_view utf8, std::string_view charset, char enc) {
  std::string prefix = "=?" + std::string(charset) + "?" + char(enc) + "?";
  size_t room = 75 - prefix.size() - 2;
  std::vector<std::string> words;
  std::string chunk;   // bytes in the target charset
  auto encoded = [&](const std::string& b) {
    return enc == 'B' ? core::base64_encode(b) : q_encode_bytes(b);
  };
  for (size_t i = 0; i < utf8.size();) {
    size_t n = std::min(utf8_len(uint8_t(utf8[i])), utf8.size() - i);
    std::string ch = from_utf8(utf8.substr(i, n), charset);
    i += n;
    if (!chunk.empty() && encoded(chunk + ch).size() > room) {
      words.push_back(prefix + encoded(chunk) + "?=");
      chunk.clear();
    }
    chunk += ch;
  }
  if (!chunk.empty() || words.empty()) words.push_back(prefix + encoded(chunk) + "?=");
  std::string out;
  for (size_t k = 0; k < words.size(); ++k) out += (k ? " " : "") + words[k];
  return out;
}

std::string rfc2047_decode(std::string_view v) {
  std::string out;
  size_t i = 0;
  bool last_was_word = false;
  std::string pending_ws;
  while (i < v.size()) {
    if (v[i] == '=' && i + 1 < v.size() && v[i + 1] == '?') {
      size_t q1 = v.find('?', i + 2);
      size_t q2 = q1 == std::string_view::npos ? q1 : v.find('?', q1 + 1);
      size_t end = q2 == std::string_view::npos ? q2 : v.find("?=", q2 + 1);
      if (end != std::string_view::npos && q2 == q1 + 2) {
        auto charset = std::string(v.substr(i + 2, q1 - i - 2));
        if (auto star = charset.find('*'); star != std::string::npos) charset.resize(star);
        char e = char(v[q1 + 1] & ~0x20);
        auto text = v.substr(q2 + 1, end - q2 - 1);
        std::optional<std::string> bytes;
        if (e == 'B') {
          bytes = core::base64_decode(text);
        } else if (e == 'Q') {
          std::string t(text);
          for (auto& c : t)
            if (c == '_') c = ' ';
          bytes = qp_decode(t);
        }
        if (bytes) {
          if (!last_was_word) out += pending_ws;   // whitespace between words is dropped
          pending_ws.clear();
          out += to_utf8(*bytes, charset);
          last_was_word = true;
          i = end + 2;
          continue;
        }
      }
    }
    if (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n') {
      pending_ws += v[i] == '\t' ? ' ' : v[i];
      ++i;
      continue;
    }
    out += pending_ws;
    pending_ws.clear();
    out += v[i++];
    last_was_word = false;
  }
  out += pending_ws;
  return out;
}

std::string header_main_value(std::string_view v) {
  auto semi = v.find(';');
  return lower(trim(v.substr(0, semi)));
}

std::optional<std::string> header_param(std::string_view v, std::string_view name) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t i = v.find(';');
  while (i != std::string_view::npos && i < v.size()) {
    ++i;
    size_t eq = v.find('=', i);
    if (eq == std::string_view::npos) break;
    auto key = lower(trim(v.substr(i, eq - i)));
    size_t j = eq + 1;
    while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
    std::string val;
    if (j < v.size() && v[j] == '"') {
      for (++j; j < v.size() && v[j] != '"'; ++j) {
        if (v[j] == '\\' && j + 1 < v.size()) ++j;
        val += v[j];
      }
      i = v.find(';', j);
    } else {
      size_t semi = v.find(';', j);
      val = trim(v.substr(j, semi == std::string_view::npos ? v.size() - j : semi - j));
      i = semi;
    }
    params.emplace_back(std::move(key), std::move(val));
  }
  auto want = lower(name);
  for (auto& [k, val] : params)
    if (k == want) return rfc2047_decode(val);
  // RFC 2231: name*=charset'lang'pct  or  name*0*=charset'lang'pct; name*1=...
  std::map<int, std::pair<bool, std::string>> pieces;
  for (auto& [k, val] : params) {
    if (k == want + "*") pieces[0] = {true, val};
    else if (k.rfind(want + "*", 0) == 0) {
      auto rest = k.substr(want.size() + 1);
      bool ext = !rest.empty() && rest.back() == '*';
      if (ext) rest.pop_back();
      if (rest.empty() || rest.find_first_not_of("0123456789") != std::string::npos) continue;
      pieces[std::stoi(rest)] = {ext, val};
    }
  }
  if (pieces.empty()) return std::nullopt;
  std::string charset, bytes;
  for (auto& [n, p] : pieces) {
    std::string_view s = p.second;
    if (n == 0 && p.first) {
      auto a = s.find('\''), b = a == std::string_view::npos ? a : s.find('\'', a + 1);
      if (b != std::string_view::npos) {
        charset = std::string(s.substr(0, a));
        s = s.substr(b + 1);
      }
    }
    bytes += p.first ? pct_decode(s) : std::string(s);
  }
  return to_utf8(bytes, charset);
}

} // namespace gc::sim

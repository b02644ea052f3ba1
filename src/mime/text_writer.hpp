#pragma once
// Internal to gc_mime: the text accumulator behind html_to_text. Collapses whitespace runs to
// one space (except inside <pre>), turns &nbsp; into a space, drops zero-width characters,
// and merges requested line breaks so blocks are separated by at most one blank line.
#include <algorithm>
#include <string>
#include <string_view>

namespace gc::mime::detail {

class text_writer {
public:
  void text(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // nbsp
        ++i;
        space();
        continue;
      }
      if (size_t n = invisible(s.substr(i))) {
        i += n - 1;
        continue;
      }
      if (pre_ > 0) {
        flush();
        if (s[i] != '\r') out_ += s[i];
        continue;
      }
      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') space();
      else put(s[i]);
    }
  }
  void raw(std::string_view s) {  // no collapsing, no leading space
    flush();
    out_ += s;
  }
  void space() { space_ = true; }
  void block(int n) {
    newlines_ = std::max(newlines_, n);
    space_ = false;
  }
  void hard_newline() {
    flush();
    out_ += '\n';
    space_ = false;
  }
  size_t pos() const { return out_.size(); }
  std::string since(size_t p) const { return out_.substr(std::min(p, out_.size())); }
  int pre_ = 0;

  std::string finish() {
    std::string r;
    size_t nl = 0;
    for (char c : out_) {   // trailing spaces per line, at most one blank line
      if (c == '\n') {
        while (!r.empty() && r.back() == ' ') r.pop_back();
        if (++nl <= 2) r += c;
        continue;
      }
      nl = 0;
      r += c;
    }
    size_t b = r.find_first_not_of(" \n"), e = r.find_last_not_of(" \n");
    return b == std::string::npos ? std::string{} : r.substr(b, e - b + 1);
  }

private:
  static size_t invisible(std::string_view s) {   // U+200B..U+200D, U+FEFF, U+034F, U+00AD
    if (s.size() >= 3 && s.substr(0, 2) == "\xE2\x80" && (s[2] == '\x8B' || s[2] == '\x8C' || s[2] == '\x8D')) return 3;
    if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") return 3;
    if (s.size() >= 2 && (s.substr(0, 2) == "\xCD\x8F" || s.substr(0, 2) == "\xC2\xAD")) return 2;
    return 0;
  }
  void flush() {
    if (newlines_ > 0) {
      if (!out_.empty()) {
        int have = 0;
        for (auto it = out_.rbegin(); it != out_.rend() && *it == '\n'; ++it) ++have;
        for (int k = have; k < newlines_; ++k) out_ += '\n';
      }
      newlines_ = 0;
      space_ = false;
    } else if (space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') {
      out_ += ' ';
    }
    space_ = false;
  }
  void put(char c) {
    flush();
    out_ += c;
  }
  std::string out_;
  int newlines_ = 0;
  bool space_ = false;
};

} // namespace gc::mime::detail

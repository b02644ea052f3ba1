#pragma once
// The lexer of the direct JSON readers (core/json_parse, mime/gmail_input): well-formed UTF-8
// JSON whose numbers are integers. Every member returns false where the text is not JSON or is
// JSON these readers leave to nlohmann (fractions and exponents, integers outside 64 bits,
// \u escapes of surrogates, nesting deeper than max_depth); the caller then falls back.
#include <cstdint>
#include <string>
#include <string_view>

namespace gc {

class json_scanner {
public:
  static constexpr int max_depth = 256;

  explicit json_scanner(std::string_view text) : p_{text.data()}, end_{text.data() + text.size()} {}

  void ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool at_end() const { return p_ == end_; }
  bool next_is(char c) const { return p_ != end_ && *p_ == c; }
  bool take(char c) {   // c, if it is next
    if (!next_is(c)) return false;
    ++p_;
    return true;
  }
  bool literal(std::string_view word);

  // A string, from its opening quote to past the closing one, decoded.
  bool string(std::string& out);
  // The same, as a view into the text when it has no escapes and no bytes above ASCII (then
  // nothing is copied), else decoded into `spill`.
  bool string(std::string_view& out, std::string& spill);

  // -?(0|[1-9][0-9]*) within 64 bits: unsigned without a sign, signed with one (as nlohmann).
  struct integer_value {
    bool negative = false;
    int64_t s = 0;
    uint64_t u = 0;
  };
  bool integer(integer_value& out);

  // The object at hand (its nesting `depth`; deeper than max_depth is refused):
  // on_member(key) reads each member's value; the key view lasts until it returns.
  template <class OnMember>
  bool object(int depth, OnMember on_member) {
    if (depth > max_depth || !take('{')) return false;
    ws();
    if (take('}')) return true;
    std::string spill;
    for (;;) {
      ws();
      std::string_view key;
      if (!next_is('"') || !string(key, spill)) return false;
      ws();
      if (!take(':')) return false;
      ws();
      if (!on_member(key)) return false;
      ws();
      if (take('}')) return true;
      if (!take(',')) return false;
    }
  }

  // The array at hand (its nesting `depth`): on_element() reads each element.
  template <class OnElement>
  bool array(int depth, OnElement on_element) {
    if (depth > max_depth || !take('[')) return false;
    ws();
    if (take(']')) return true;
    for (;;) {
      ws();
      if (!on_element()) return false;
      ws();
      if (take(']')) return true;
      if (!take(',')) return false;
    }
  }

  // Any value (validated, discarded); `depth` is the nesting of the value's container.
  bool skip_value(int depth);

private:
  const char* p_;
  const char* end_;

  bool escape(std::string& out);
  bool utf8_sequence(std::string& out);
};

} // namespace gc

#include "core/json_parse.hpp"

#include "core/json_scan.hpp"

namespace gc {
namespace {

// Recursive descent with json_scanner; false where the scanner refuses (see json_scan.hpp):
// the caller then starts over with nlohmann.
class reader {
public:
  explicit reader(std::string_view text) : s_{text} {}

  bool document(json& out) {
    s_.ws();
    if (!value(out, 0)) return false;
    s_.ws();
    return s_.at_end();
  }

private:
  json_scanner s_;

  bool value(json& out, int depth) {
    if (s_.at_end()) return false;
    if (s_.next_is('{')) return object(out, depth + 1);
    if (s_.next_is('[')) return array(out, depth + 1);
    if (s_.next_is('"')) {
      std::string str;
      if (!s_.string(str)) return false;
      out = std::move(str);
      return true;
    }
    if (s_.next_is('t') || s_.next_is('f') || s_.next_is('n')) return literal(out);
    json_scanner::integer_value v;
    if (!s_.integer(v)) return false;
    if (v.negative) out = v.s;
    else out = v.u;
    return true;
  }

  bool literal(json& out) {
    if (s_.literal("true")) out = true;
    else if (s_.literal("false")) out = false;
    else if (s_.literal("null")) out = nullptr;
    else return false;
    return true;
  }

  bool object(json& out, int depth) {
    if (depth > json_scanner::max_depth) return false;
    s_.take('{');
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    s_.ws();
    if (s_.take('}')) return true;
    for (;;) {
      s_.ws();
      if (!s_.next_is('"')) return false;
      std::string key;
      if (!s_.string(key)) return false;
      s_.ws();
      if (!s_.take(':')) return false;
      s_.ws();
      json v;
      if (!value(v, depth)) return false;
      members[std::move(key)] = std::move(v);  // a repeated name: the last value, as nlohmann
      s_.ws();
      if (s_.take('}')) return true;
      if (!s_.take(',')) return false;
    }
  }

  bool array(json& out, int depth) {
    if (depth > json_scanner::max_depth) return false;
    s_.take('[');
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    s_.ws();
    if (s_.take(']')) return true;
    for (;;) {
      s_.ws();
      items.emplace_back();
      if (!value(items.back(), depth)) return false;
      s_.ws();
      if (s_.take(']')) return true;
      if (!s_.take(',')) return false;
    }
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

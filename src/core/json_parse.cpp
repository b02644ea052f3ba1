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
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    return s_.object(depth, [&](std::string_view key) {
      json v;
      if (!value(v, depth)) return false;
      members[std::string{key}] = std::move(v);  // a repeated name: the last value, as nlohmann
      return true;
    });
  }

  bool array(json& out, int depth) {
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    return s_.array(depth, [&] { return value(items.emplace_back(), depth); });
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

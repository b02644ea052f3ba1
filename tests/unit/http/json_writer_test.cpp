// json_writer must write exactly what json_response's dump writes for the same values: the
// listing routes that use it answer the same bytes as a DOM would have.
#include "http/json_writer.hpp"

#include <catch2/catch.hpp>

#include <random>

using gc::json;
using gc::http::json_writer;

namespace {

std::string dumped(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written(const std::string& s) {
  json_writer w;
  w.value(s);
  return w.take();
}

} // namespace

TEST_CASE("json_writer: strings are escaped and repaired exactly as dump does", "[http][json]") {
  const std::vector<std::string> cases = {
      "", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\rret\bbs\fff",
      std::string("nul\0byte", 8), "\x01\x1f\x7f", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
      "\xC3", "\xC3(", "\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
      "\xF0\x9F\x98", "a\xF0\x9F\x98" "b", "\xE2\x82", "\xFF\xFE", "\xE2\x28\xA1"};
  for (const auto& s : cases) {
    INFO(dumped(json(s)));
    CHECK(written(s) == dumped(json(s)));
  }
  // Random bytes, biased towards the UTF-8 edge cases, against dump itself.
  std::mt19937 rng{20261121};
  const unsigned char interesting[] = {0x00, 0x1f, 0x22, 0x5c, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
                                       0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
                                       0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      auto r = rng();
      s.push_back(static_cast<char>(r % 3 == 0 ? (r >> 8) & 0xff : interesting[(r >> 8) % sizeof interesting]));
    }
    if (written(s) != dumped(json(s))) {  // one failure report, not 20,000
      std::string hex;
      for (unsigned char c : s) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15], hex += ' ';
      INFO("round " << round << ", bytes " << hex);
      CHECK(written(s) == dumped(json(s)));
      break;
    }
  }
}

TEST_CASE("json_writer: nested objects and arrays with every value type", "[http][json]") {
  json_writer w;
  w.begin_object();
  w.key("id").value(int64_t{42}).key("n").value(-7).key("ok").value(true).key("no").value(false);
  w.key("none").null().key("opt").value(std::optional<std::string>{}).key("set").value(std::optional<std::string>{"x"});
  w.key("list").begin_array().value("a").begin_object().end_object().begin_array().end_array().value(int64_t{1}).end_array();
  w.key("dom").value(json{{"k", {1, 2}}});
  w.key("empty").begin_object().end_object();
  w.end_object();
  const std::string text = w.take();
  const json expected = {{"id", 42}, {"n", -7}, {"ok", true}, {"no", false}, {"none", nullptr},
                         {"opt", nullptr}, {"set", "x"}, {"list", {"a", json::object(), json::array(), 1}},
                         {"dom", {{"k", {1, 2}}}}, {"empty", json::object()}};
  CHECK(json::parse(text) == expected);
  CHECK(text.find(' ') == std::string::npos);  // compact, as dump(-1)
}

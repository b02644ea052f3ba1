// gc::parse_json against nlohmann::json::parse: the same values (types included) for what the
// direct reader takes, nlohmann's own answer for what it hands over, the same rejections.
#include "core/json_parse.hpp"
#include "support/json_same.hpp"

#include <catch2/catch.hpp>

#include <string>

using gc::json;
using gc::test::json_same;

namespace {

json reference(const std::string& text) { return json::parse(text, nullptr, false); }

bool direct(const std::string& text, json& out) { return gc::parse_json_direct(text, out); }

} // namespace

TEST_CASE("parse_json reads JSON itself and builds nlohmann's value", "[core][json_parse]") {
  const std::string docs[] = {
      "{}", "[]", " \t\r\n[ ] ", "0", "-0", "7", "-12", "18446744073709551615",
      "-9223372036854775808", "true", "false", "null", "\"\"",
      R"({"id":"18c2f","labelIds":["INBOX","UNREAD"],"sizeEstimate":5120,"internalDate":"1700000000000"})",
      R"({"a":{"b":[1,[2,[3,{}]]],"c":null},"d":[true,false]})",
      R"(["\"\\\/\b\f\n\r\t","\u0041\u00e9\u20ac\u0000","x"])",
      "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xed\x9f\xbf\"",
      R"({"k":1,"k":2})",  // a repeated name keeps the last value
      R"({"data":")" + std::string(200000, 'A') + "-_" + R"("})",
  };
  for (const auto& text : docs) {
    INFO(text.substr(0, 120));
    json ours;
    REQUIRE(direct(text, ours));
    auto ref = reference(text);
    REQUIRE_FALSE(ref.is_discarded());
    CHECK(json_same(ours, ref));
    CHECK(json_same(gc::parse_json(text), ref));
  }
  json dup;
  REQUIRE(direct(R"({"k":1,"k":2})", dup));
  CHECK(dup["k"] == 2);
  CHECK(gc::parse_json("18446744073709551615").is_number_unsigned());
  CHECK(gc::parse_json("-1").get<int64_t>() == -1);
}

TEST_CASE("parse_json hands nlohmann what the direct reader does not take", "[core][json_parse]") {
  const std::string docs[] = {
      "1.5", "-0.0", "1e3", "[2E-2]", "18446744073709551616", "-9223372036854775809",
      R"("\ud83d\ude00")", "\xef\xbb\xbf{\"bom\":1}", std::string(300, '[') + std::string(300, ']'),
  };
  for (const auto& text : docs) {
    INFO(text.substr(0, 60));
    json ours;
    CHECK_FALSE(direct(text, ours));
    auto ref = reference(text);
    REQUIRE_FALSE(ref.is_discarded());
    CHECK(json_same(gc::parse_json(text), ref));
  }
}

TEST_CASE("parse_json rejects what nlohmann rejects", "[core][json_parse]") {
  const std::string docs[] = {
      "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "01", "-", "+1", "1 2", "[1]x",
      "tru", "nul", "\"abc", "\"a\x01\"", R"("\x")", R"("\u12")", R"("\udc00")", R"("\ud800")",
      "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\x80\"",
      "\"\xff\"", "[\"a\"]]",
  };
  for (const auto& text : docs) {
    INFO(text);
    json ours;
    CHECK_FALSE(direct(text, ours));
    CHECK(reference(text).is_discarded());
    CHECK(gc::parse_json(text).is_discarded());
  }
}

// The server-side batch codec (gmail-api.md §4).
#include "sim/batch_codec.hpp"
#include "sim/endpoint_errors.hpp"

#include <catch2/catch.hpp>

using gc::json;

TEST_CASE("parse_batch_request reads Google's documented example", "[sim][batch]") {
  const std::string body =
      "--batch_foobarbaz\r\n"
      "Content-Type: application/http\r\n"
      "Content-ID: <item1>\r\n"
      "\r\n"
      "GET /gmail/v1/users/me/messages/18f4c6b280d6f124?format=full\r\n"
      "\r\n"
      "--batch_foobarbaz\r\n"
      "Content-Type: application/http\r\n"
      "Content-ID: <item2>\r\n"
      "\r\n"
      "POST /gmail/v1/users/me/drafts HTTP/1.1\r\n"
      "Content-Type: application/json\r\n"
      "\r\n"
      "{\"message\":{\"raw\":\"abc\",\"threadId\":\"t1\"}}\r\n"
      "--batch_foobarbaz--\r\n";
  auto parts = gc::sim::parse_batch_request("multipart/mixed; boundary=batch_foobarbaz", body);
  REQUIRE(parts.ok());
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].content_id == "item1");
  CHECK((*parts)[0].method == "GET");
  CHECK((*parts)[0].target == "/gmail/v1/users/me/messages/18f4c6b280d6f124?format=full");
  CHECK((*parts)[0].body.empty());
  CHECK((*parts)[1].content_id == "item2");
  CHECK((*parts)[1].method == "POST");
  REQUIRE((*parts)[1].headers.size() == 1);
  CHECK((*parts)[1].headers[0].first == "Content-Type");
  CHECK(json::parse((*parts)[1].body)["message"]["threadId"] == "t1");
}

TEST_CASE("parse_batch_request tolerates LF line ends, a preamble and quoted boundaries", "[sim][batch]") {
  const std::string body =
      "this is a preamble\n"
      "--b\"x\n"   // not a delimiter: different boundary text
      "--===b===\n"
      "Content-Type: application/http\n"
      "Content-ID: <uuid+1>\n"
      "\n"
      "GET /gmail/v1/users/me/profile\n"
      "--===b===--\n"
      "epilogue";
  auto parts = gc::sim::parse_batch_request("multipart/mixed; boundary=\"===b===\"", body);
  REQUIRE(parts.ok());
  REQUIRE(parts->size() == 1);
  CHECK((*parts)[0].content_id == "uuid+1");
  CHECK((*parts)[0].target == "/gmail/v1/users/me/profile");
}

TEST_CASE("parse_batch_request refuses what it cannot frame", "[sim][batch]") {
  CHECK_FALSE(gc::sim::parse_batch_request("application/json", "{}").ok());
  CHECK_FALSE(gc::sim::parse_batch_request("multipart/mixed", "--x\r\n").ok());
  CHECK_FALSE(gc::sim::parse_batch_request("multipart/mixed; boundary=x", "no delimiters here").ok());
  auto no_line = gc::sim::parse_batch_request("multipart/mixed; boundary=x",
                                              "--x\r\nContent-Type: application/http\r\n\r\n\r\n--x--\r\n");
  CHECK_FALSE(no_line.ok());
  CHECK(gc::sim::multipart_boundary("multipart/mixed; charset=x; boundary=\"a b\"") == std::string{"a b"});
  CHECK_FALSE(gc::sim::multipart_boundary("text/plain; boundary=x"));
}

TEST_CASE("render_batch_response round-trips through parse_batch_response", "[sim][batch]") {
  std::vector<gc::sim::batch_response_part> parts;
  parts.push_back({"item1", gc::sim::google_json(200, {{"id", "abc"}, {"threadId", "t"}})});
  parts.push_back({"item2", gc::sim::too_many_concurrent()});
  parts.push_back({"item3", gc::sim::not_found()});
  auto body = gc::sim::render_batch_response(parts, "batch_XyZ");
  CHECK(body.rfind("--batch_XyZ\r\nContent-Type: application/http\r\nContent-ID: <response-item1>\r\n\r\nHTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(body.size() >= 17);
  CHECK(body.substr(body.size() - 15) == "--batch_XyZ--\r\n");

  auto back = gc::sim::parse_batch_response("multipart/mixed; boundary=batch_XyZ", body);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  CHECK((*back)[0].content_id == "response-item1");
  CHECK((*back)[0].status == 200);
  CHECK(json::parse((*back)[0].body) == json{{"id", "abc"}, {"threadId", "t"}});
  CHECK((*back)[1].status == 429);
  CHECK(json::parse((*back)[1].body)["error"]["message"] == "Too many concurrent requests for user");
  CHECK((*back)[2].status == 404);
  CHECK((*back)[2].body == parts[2].response.body());

  // And the request side: render_batch_request -> parse_batch_request.
  std::vector<gc::sim::batch_part> req = {{"a1", "GET", "/gmail/v1/users/me/messages/1?format=raw", {}, ""},
                                          {"a2", "POST", "/gmail/v1/users/me/drafts",
                                           {{"Content-Type", "application/json"}}, "{\"x\":1}"}};
  auto again = gc::sim::parse_batch_request("multipart/mixed; boundary=zz",
                                            gc::sim::render_batch_request(req, "zz"));
  REQUIRE(again.ok());
  REQUIRE(again->size() == 2);
  CHECK((*again)[0].target == req[0].target);
  CHECK((*again)[1].body == "{\"x\":1}");
}

TEST_CASE("the batch cap error is Google's exact body", "[sim][batch]") {
  auto r = gc::sim::batch_too_large(100, 50);
  CHECK(r.result_int() == 400);
  CHECK(json::parse(r.body()) ==
        json{{"error",
              {{"code", 400},
               {"message", "Inner request count exceeds the limit. Received: 100, Limit: 50"},
               {"status", "INVALID_ARGUMENT"}}}});
}

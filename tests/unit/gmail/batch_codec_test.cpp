// The client-side batch codec: our requests parse with the simulator's server-side parser, and
// Google-shaped responses (server boundary, out-of-order parts, leading CRLF, LF line ends,
// per-part errors) decode and match by Content-ID.
#include "gmail/batch_codec.hpp"
#include "gmail/errors.hpp"
#include "sim/batch_codec.hpp"
#include "unit/gmail/error_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace gc::gmail;

namespace {

const std::string msg1 = R"({"id":"18f4c6b280d6f124","threadId":"18f4c6b280d6f124","labelIds":["INBOX"]})";
const std::string msg2 = R"({"id":"152d10540c21bd07","threadId":"152d10540c21bd00"})";

std::string part(const std::string& id, const std::string& status_line, const std::string& body) {
  return "--batch_7Xp52oGIwpA_AAEAc7ERnGU\r\n"
         "Content-Type: application/http\r\n"
         "Content-ID: <" + id + ">\r\n\r\n" +
         status_line + "\r\nContent-Type: application/json; charset=UTF-8\r\nVary: Origin\r\n\r\n" + body + "\r\n";
}

const std::string ctype = "multipart/mixed; boundary=batch_7Xp52oGIwpA_AAEAc7ERnGU";
const std::string close_delim = "--batch_7Xp52oGIwpA_AAEAc7ERnGU--\r\n";

} // namespace

TEST_CASE("item ids and boundaries", "[gmail][batch]") {
  CHECK(batch_item_id(0) == "item-1");
  CHECK(batch_item_index("response-item-7") == 6u);
  CHECK(batch_item_index("item-1") == 0u);
  CHECK_FALSE(batch_item_index("response-item-0"));
  CHECK_FALSE(batch_item_index("response-foo"));
  CHECK_FALSE(batch_item_index("response-item-"));
  CHECK(multipart_boundary("multipart/mixed; boundary=batch_abc") == "batch_abc");
  CHECK(multipart_boundary("Multipart/Mixed; charset=x; boundary=\"a b\"") == "a b");
  CHECK_FALSE(multipart_boundary("application/json"));
  CHECK_FALSE(multipart_boundary("multipart/mixed"));
  auto b1 = make_batch_boundary(), b2 = make_batch_boundary();
  CHECK(b1 != b2);
  CHECK(b1.rfind("batch_", 0) == 0);
}

TEST_CASE("a batch request parses with the simulator's server-side parser", "[gmail][batch]") {
  std::vector<batch_inner_request> items{
      {"GET", "/gmail/v1/users/me/messages/18f4c6b280d6f124?format=full", {}, {}},
      {"GET", "/gmail/v1/users/ann%40fund.example/messages/152d?format=metadata&metadataHeaders=From", {}, {}},
      {"POST", "/gmail/v1/users/me/drafts", {{"Content-Type", "application/json"}}, R"({"message":{"raw":"eA=="}})"},
  };
  auto body = encode_batch_request(items, "batch_foobarbaz");
  auto parsed = gc::sim::parse_batch_request("multipart/mixed; boundary=batch_foobarbaz", body);
  REQUIRE(parsed);
  REQUIRE(parsed->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK((*parsed)[i].content_id == batch_item_id(i));
    CHECK((*parsed)[i].method == items[i].method);
    CHECK((*parsed)[i].target == items[i].target);
  }
  CHECK((*parsed)[2].body == items[2].body);
}

TEST_CASE("out-of-order parts with a leading CRLF decode and match by Content-ID", "[gmail][batch]") {
  std::string body = "\r\n" + part("response-item-2", "HTTP/1.1 200 OK", msg2) +
                     part("response-item-1", "HTTP/1.1 200 OK", msg1) + close_delim;
  auto parts = decode_batch_response(ctype, body);
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].content_id == "response-item-2");
  CHECK(batch_item_index((*parts)[0].content_id) == 1u);
  CHECK((*parts)[0].status == 200);
  CHECK((*parts)[0].body == msg2);
  CHECK((*parts)[0].headers.at("content-type") == "application/json; charset=UTF-8");
  CHECK((*parts)[1].body == msg1);
  CHECK(batch_item_index((*parts)[1].content_id) == 0u);
}

TEST_CASE("a per-part 429 inside a 200 is its own classified error", "[gmail][batch]") {
  std::string body = part("response-item-1", "HTTP/1.1 200 OK", msg1) +
                     part("response-item-2", "HTTP/1.1 429 Too Many Requests", gc::test::gerr::too_many_concurrent) +
                     part("response-item-3", "HTTP/1.1 404 Not Found", gc::test::gerr::not_found) + close_delim;
  auto parts = decode_batch_response(ctype, body);
  REQUIRE(parts);
  REQUIRE(parts->size() == 3);
  CHECK((*parts)[0].status == 200);
  CHECK((*parts)[1].status == 429);
  auto e = classify((*parts)[1].status, (*parts)[1].body);
  CHECK(e.kind == error_kind::retryable);
  CHECK(e.rate_limited);
  CHECK(e.message == "Too many concurrent requests for user");
  CHECK(classify((*parts)[2].status, (*parts)[2].body).kind == error_kind::not_found);
}

TEST_CASE("bare LF line ends, a preamble and a missing close delimiter are tolerated", "[gmail][batch]") {
  std::string body =
      "This is the preamble.\n"
      "--b1\nContent-Type: application/http\nContent-ID: <response-item-1>\n\nHTTP/1.1 200 OK\n"
      "Content-Type: application/json\n\n" + msg1 + "\n"
      "--b1  \nContent-Type: application/http\nContent-ID: response-item-2\n\nHTTP/1.1 500 Internal Server Error\n\n" +
      gc::test::gerr::backend_error + "\n";
  auto parts = decode_batch_response("multipart/mixed; boundary=b1", body);
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].body == msg1);
  CHECK((*parts)[1].content_id == "response-item-2");
  CHECK((*parts)[1].status == 500);
  CHECK((*parts)[1].body == std::string{gc::test::gerr::backend_error} + "\n");
}

TEST_CASE("the simulator's rendered response round-trips through our decoder", "[gmail][batch]") {
  std::vector<gc::sim::batch_response_part> out;
  for (int i : {3, 1, 2}) {
    gc::http::response_t r{static_cast<gc::http::bhttp::status>(i == 2 ? 429 : 200), 11};
    r.set(gc::http::bhttp::field::content_type, "application/json; charset=UTF-8");
    r.body() = i == 2 ? std::string{gc::test::gerr::too_many_concurrent} : "{\"id\":\"m" + std::to_string(i) + "\"}";
    r.prepare_payload();
    out.push_back({batch_item_id(static_cast<size_t>(i - 1)), std::move(r)});
  }
  auto body = gc::sim::render_batch_response(out, "batch_server_chosen");
  auto parts = decode_batch_response("multipart/mixed; boundary=batch_server_chosen", body);
  REQUIRE(parts);
  REQUIRE(parts->size() == 3);
  CHECK(batch_item_index((*parts)[0].content_id) == 2u);
  CHECK((*parts)[0].body == "{\"id\":\"m3\"}");
  CHECK((*parts)[2].status == 429);
}

TEST_CASE("an outer error body is not a batch", "[gmail][batch]") {
  auto r = decode_batch_response("application/json; charset=UTF-8", gc::test::gerr::batch_too_large);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "bad_batch");
  auto e = classify(400, gc::test::gerr::batch_too_large);
  CHECK(e.kind == error_kind::permanent);
  CHECK(e.message == "Inner request count exceeds the limit. Received: 100, Limit: 50");
  CHECK_FALSE(decode_batch_response(ctype, "no delimiter here"));
  CHECK_FALSE(decode_batch_response(ctype, "--batch_7Xp52oGIwpA_AAEAc7ERnGU\r\nContent-ID: <x>\r\n\r\nnot http\r\n"));
}

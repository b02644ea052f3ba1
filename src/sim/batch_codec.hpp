#pragma once
// Server side of Google's batch format (gmail-api.md §4): a multipart/mixed request whose parts
// are `application/http` requests with a path-only request line, and a multipart/mixed
// response whose parts carry "HTTP/1.1 <code> <reason>", headers and a body, matched by
// Content-ID "<response-ITEM>". The client side lives in src/gmail/.
#include "core/result.hpp"
#include "http/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::sim {

struct batch_part {
  std::string content_id;        // as sent, without the angle brackets; may be empty
  std::string method;            // "GET"
  std::string target;            // "/gmail/v1/users/me/messages/ID?format=full"
  std::vector<std::pair<std::string, std::string>> headers;   // inner headers, in order
  std::string body;
};

struct batch_response_part {
  std::string content_id;        // the request's id; rendered as "<response-ID>"
  http::response_t response;
};

// The `boundary` parameter of a multipart Content-Type (quotes removed); nullopt if the type
// is not multipart/* or has no boundary.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Any multipart body (e.g. multipart/related uploads): each part's headers and body.
struct mime_part {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
gc::result<std::vector<mime_part>> split_multipart(std::string_view body, const std::string& boundary);

// Parses a batch body. Accepts CRLF or bare LF line ends, a preamble, "HTTP/1.1" after the
// target or none. Error code "bad_batch" with a short reason.
gc::result<std::vector<batch_part>> parse_batch_request(std::string_view content_type,
                                                        std::string_view body);

// Renders the response body with `boundary` (no "--"); parts in the given order.
std::string render_batch_response(const std::vector<batch_response_part>& parts,
                                  const std::string& boundary);

// The inverse of both, for tests and tools: builds a request body and parses a response body.
std::string render_batch_request(const std::vector<batch_part>& parts, const std::string& boundary);
struct parsed_response_part {
  std::string content_id;        // without brackets, e.g. "response-item1"
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
gc::result<std::vector<parsed_response_part>> parse_batch_response(std::string_view content_type,
                                                                   std::string_view body);

} // namespace gc::sim

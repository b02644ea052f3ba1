#pragma once
// Client side of Google's batch format (gmail-api.md §4). Request: multipart/mixed, one
// `application/http` part per call with Content-ID <item-K> and a path-only request line.
// Response: multipart/mixed with a server-chosen boundary (read from the response's
// Content-Type), parts carrying "HTTP/1.1 <code> <reason>", headers and a body, matched to
// requests by Content-ID <response-item-K>, never by order.
#include "core/result.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::gmail {

struct batch_inner_request {
  std::string method = "GET";
  std::string target;                                       // "/gmail/v1/users/me/messages/ID?format=full"
  std::vector<std::pair<std::string, std::string>> headers; // inner headers (rare for GETs)
  std::string body;
};

struct batch_inner_response {
  std::string content_id;                       // as received, brackets removed
  unsigned status = 0;
  std::map<std::string, std::string> headers;   // lower-cased names
  std::string body;
};

// "item-K" for the K-th request (K from 1), and the inverse for "response-item-K"/"item-K".
std::string batch_item_id(std::size_t index);
std::optional<std::size_t> batch_item_index(std::string_view content_id);

// A fresh random boundary ("batch_" + 32 hex digits).
std::string make_batch_boundary();

// The request body; parts get Content-ID <item-K> in vector order.
std::string encode_batch_request(const std::vector<batch_inner_request>& items, const std::string& boundary);

// The boundary parameter of a multipart Content-Type (quotes removed); nullopt if it is not
// multipart/* or has none.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses a batch response body. Tolerates a preamble or leading CRLF, bare LF line ends,
// transport padding after delimiters and a missing close delimiter. Error code "bad_batch".
gc::result<std::vector<batch_inner_response>> decode_batch_response(std::string_view content_type,
                                                                    std::string_view body);

} // namespace gc::gmail

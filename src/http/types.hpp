#pragma once
// The request/response types every route handler sees. Handlers may answer from any thread by
// calling `reply` exactly once; the server posts the write back onto the connection's strand.
#include "core/json.hpp"

#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gc::http {

namespace bhttp = boost::beast::http;
using request_t = bhttp::request<bhttp::string_body>;
using response_t = bhttp::response<bhttp::string_body>;
using reply_fn = std::function<void(response_t)>;

enum class role { member, admin };

// The authenticated caller of an /api route.
struct principal {
  int64_t user_id = 0;
  std::string username;
  role user_role = role::member;
  int64_t token_id = 0;
};

struct request_ctx {
  request_t req;
  std::string path;                                   // percent-decoded, no query string
  std::multimap<std::string, std::string> query;     // decoded query parameters
  std::map<std::string, std::string> params;         // {name} captures of the route pattern
  std::optional<principal> user;                      // set for authenticated routes
  std::string remote;                                 // peer address, for logs

  // First value of a query parameter, if present.
  std::optional<std::string> q(const std::string& name) const;
};

using handler = std::function<void(request_ctx ctx, reply_fn reply)>;

// JSON helpers. Every error body is {"error":{"code":"...","message":"..."}}.
response_t json_response(unsigned status, const json& body);
// The same headers for a body that is JSON text already (http/json_writer.hpp).
response_t json_text_response(unsigned status, std::string body);
response_t error_response(unsigned status, std::string code, std::string message);

} // namespace gc::http

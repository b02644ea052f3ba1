#pragma once
// Strict parsers for the path and query parameters of the read routes (routes_threads.cpp,
// routes_activity.cpp). A parser answers a value, or gc::error{code = the parameter's name,
// message = what is wrong}; bad_param() turns that into the 400 every route sends:
//   {"error": {"code": "bad_parameter", "parameter": "<name>", "message": "<name>: <why>"}}
#include "http/api.hpp"
#include "store/read_page.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gc::http {

// 400 naming the parameter (see above).
response_t bad_param(const gc::error& e);

// A positive decimal id (1..2^63-1, digits only).
std::optional<int64_t> parse_id(std::string_view text);

// The {name} capture of the route as an id.
gc::result<int64_t> path_id(const request_ctx& ctx, const std::string& name);
// An optional query id: nullopt when absent.
gc::result<std::optional<int64_t>> query_id(const request_ctx& ctx, const std::string& name);
// "limit": absent -> `fallback`; otherwise an integer in 1..max_limit.
inline constexpr int max_limit = 200;
gc::result<int> query_limit(const request_ctx& ctx, int fallback = 50);
// An optional ISO-8601 time (core::parse_iso8601) as epoch milliseconds.
gc::result<std::optional<int64_t>> query_time(const request_ctx& ctx, const std::string& name);

// Opaque pagination cursors: base64url of "<kind>1.<sightings>.<links>.<ms>.<id>". `kind`
// tells listings apart, so a cursor from one route is refused by another.
std::string encode_cursor(char kind, const store::page_key& k);
// "cursor": absent -> nullopt (first page); malformed or of another kind -> error.
gc::result<std::optional<store::page_key>> query_cursor(const request_ctx& ctx, char kind);

} // namespace gc::http

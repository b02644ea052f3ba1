#include "http/query_params.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"

#include <charconv>
#include <chrono>
#include <vector>

namespace gc::http {
namespace {

// A signed decimal int64 that uses the whole text ("-" allowed only when `allow_negative`).
std::optional<int64_t> parse_int64(std::string_view text, bool allow_negative) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (text.front() == '+') return std::nullopt;
  if (!allow_negative && text.front() == '-') return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

gc::error param_error(const std::string& name, std::string why) { return {name, std::move(why)}; }

} // namespace

response_t bad_param(const gc::error& e) {
  return json_response(400, json{{"error",
                                  {{"code", "bad_parameter"},
                                   {"parameter", e.code},
                                   {"message", e.code + ": " + e.message}}}});
}

std::optional<int64_t> parse_id(std::string_view text) {
  auto v = parse_int64(text, false);
  if (!v || *v < 1) return std::nullopt;
  return v;
}

gc::result<int64_t> path_id(const request_ctx& ctx, const std::string& name) {
  auto it = ctx.params.find(name);
  if (it == ctx.params.end()) return param_error(name, "missing");
  if (auto id = parse_id(it->second)) return *id;
  return param_error(name, "expected a positive integer id");
}

gc::result<std::optional<int64_t>> query_id(const request_ctx& ctx, const std::string& name) {
  auto v = ctx.q(name);
  if (!v) return std::optional<int64_t>{};
  if (auto id = parse_id(*v)) return std::optional<int64_t>{*id};
  return param_error(name, "expected a positive integer id");
}

gc::result<int> query_limit(const request_ctx& ctx, int fallback) {
  auto v = ctx.q("limit");
  if (!v) return fallback;
  auto n = parse_int64(*v, true);
  if (!n || *n < 1 || *n > max_limit)
    return param_error("limit", "expected an integer from 1 to " + std::to_string(max_limit));
  return static_cast<int>(*n);
}

gc::result<std::optional<int64_t>> query_time(const request_ctx& ctx, const std::string& name) {
  auto v = ctx.q(name);
  if (!v) return std::optional<int64_t>{};
  auto t = core::parse_iso8601(*v);
  if (!t)
    return param_error(name, "expected an ISO-8601 time such as 2024-10-01 or 2024-10-01T10:00:00Z");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  return std::optional<int64_t>{ms};
}

std::string encode_cursor(char kind, const store::page_key& k) {
  std::string raw{kind};
  raw += "1." + std::to_string(k.sighting_mark) + '.' + std::to_string(k.link_mark) + '.' +
         std::to_string(k.after_ms) + '.' + std::to_string(k.after_id);
  return core::base64url_encode(raw);
}

gc::result<std::optional<store::page_key>> query_cursor(const request_ctx& ctx, char kind) {
  auto v = ctx.q("cursor");
  if (!v) return std::optional<store::page_key>{};
  const auto bad = param_error("cursor", "not a cursor of this listing (pass next_cursor unchanged)");
  if (v->empty() || v->size() > 200) return bad;
  auto raw = core::base64_decode(*v);
  if (!raw || raw->size() < 3 || (*raw)[0] != kind || (*raw)[1] != '1' || (*raw)[2] != '.')
    return bad;
  std::vector<int64_t> parts;
  std::string_view rest{*raw};
  rest.remove_prefix(3);
  while (true) {
    auto dot = rest.find('.');
    auto n = parse_int64(rest.substr(0, dot), true);
    if (!n) return bad;
    parts.push_back(*n);
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (parts.size() != 4 || parts[0] < 0 || parts[1] < 0 || parts[3] < 1) return bad;
  return std::optional<store::page_key>{store::page_key{parts[0], parts[1], parts[2], parts[3]}};
}

} // namespace gc::http

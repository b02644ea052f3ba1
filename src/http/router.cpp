#include "http/router.hpp"

#include "core/encoding.hpp"
#include "core/log.hpp"

#include <exception>

namespace gc::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_capture(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> caps;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (is_capture(pattern[i])) {
      if (path[i].empty()) return false;
      caps[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(caps);
  return true;
}

std::optional<std::string> bearer_token(const request_t& req) {
  auto it = req.find(bhttp::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view v{it->value().data(), it->value().size()};
  constexpr std::string_view prefix = "Bearer ";
  if (v.size() <= prefix.size()) return std::nullopt;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return std::nullopt;
  auto tok = v.substr(prefix.size());
  while (!tok.empty() && tok.front() == ' ') tok.remove_prefix(1);
  while (!tok.empty() && tok.back() == ' ') tok.remove_suffix(1);
  if (tok.empty()) return std::nullopt;
  return std::string{tok};
}

} // namespace

bool split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& query) {
  auto qpos = target.find('?');
  auto raw_path = target.substr(0, qpos);
  auto p = core::url_decode(raw_path, false);
  if (!p) return false;
  path = std::move(*p);
  query.clear();
  if (qpos == std::string_view::npos) return true;
  auto qs = target.substr(qpos + 1);
  size_t i = 0;
  while (i <= qs.size()) {
    auto j = qs.find('&', i);
    if (j == std::string_view::npos) j = qs.size();
    auto pair = qs.substr(i, j - i);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      auto k = core::url_decode(pair.substr(0, eq));
      auto v = eq == std::string_view::npos ? std::optional<std::string>{""}
                                            : core::url_decode(pair.substr(eq + 1));
      if (!k || !v) return false;
      query.emplace(std::move(*k), std::move(*v));
    }
    i = j + 1;
  }
  return true;
}

router::router(authenticator auth) : auth_(std::move(auth)) {}

void router::add(bhttp::verb verb, std::string pattern, access acc, handler h) {
  routes_.push_back(route{verb, split_path(pattern), acc, std::move(h)});
}

std::vector<router::route_info> router::routes() const {
  std::vector<route_info> out;
  for (const auto& r : routes_) {
    std::string pattern;
    for (const auto& seg : r.segments) pattern += "/" + seg;
    out.push_back({r.verb, pattern.empty() ? "/" : pattern, r.acc});
  }
  return out;
}

void router::dispatch(request_t req, std::string remote, reply_fn reply) const {
  request_ctx ctx;
  if (!split_target(req.target(), ctx.path, ctx.query))
    return reply(error_response(400, "bad_request", "the request target has broken percent-encoding"));
  auto segments = split_path(ctx.path);

  const route* found = nullptr;
  std::string allow;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match(r.segments, segments, params)) continue;
    if (r.verb == req.method() || (r.verb == bhttp::verb::get && req.method() == bhttp::verb::head)) {
      found = &r;
      ctx.params = std::move(params);
      break;
    }
    if (!allow.empty()) allow += ", ";
    allow += std::string{bhttp::to_string(r.verb)};
  }
  if (!found) {
    if (!allow.empty()) {
      auto res = error_response(405, "method_not_allowed",
                                std::string{req.method_string()} + " is not allowed on " + ctx.path);
      res.set(bhttp::field::allow, allow);
      return reply(std::move(res));
    }
    return reply(error_response(404, "not_found", "no route for " + ctx.path));
  }

  if (found->acc != access::open) {
    auto token = bearer_token(req);
    if (!token)
      return reply(error_response(401, "unauthorized", "missing Authorization: Bearer token"));
    std::optional<principal> who;
    if (auth_) who = auth_(*token);
    if (!who)
      return reply(error_response(401, "unauthorized", "the bearer token is unknown, expired or revoked"));
    if (found->acc == access::admin && who->user_role != role::admin)
      return reply(error_response(403, "forbidden", "this route needs the admin role"));
    ctx.user = std::move(who);
  }

  ctx.req = std::move(req);
  ctx.remote = std::move(remote);
  try {
    found->h(std::move(ctx), reply);
  } catch (const std::exception& e) {
    gc::log::error("handler for {} threw: {}", found->segments.empty() ? "/" : found->segments[0],
                   gc::log::redact(e.what()));
    reply(error_response(500, "internal", "internal error"));
  }
}

} // namespace gc::http

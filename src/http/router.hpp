#pragma once
// A small REST router (Beast has none): (verb, pattern) -> handler. Patterns are literal
// segments and {name} captures: "/api/email/accounts/{id}/pause". A known path with the wrong
// verb is a 405 with an Allow header; anything else unmatched is a JSON 404.
#include "http/types.hpp"

#include <string>
#include <vector>

namespace gc::http {

enum class access { open, user, admin };

// Resolves a bearer token to a principal; nullopt = unknown, expired or revoked.
using authenticator = std::function<std::optional<principal>(const std::string& token)>;

class router {
public:
  // Without an authenticator every route must be `access::open` (the simulator).
  explicit router(authenticator auth = {});

  void add(bhttp::verb verb, std::string pattern, access acc, handler h);
  void get(std::string pattern, access acc, handler h) { add(bhttp::verb::get, std::move(pattern), acc, std::move(h)); }
  void post(std::string pattern, access acc, handler h) { add(bhttp::verb::post, std::move(pattern), acc, std::move(h)); }

  // Routes, authenticates and authorizes `req`, then calls the handler (or replies with the
  // error). Runs on a worker thread, never on an I/O thread.
  void dispatch(request_t req, std::string remote, reply_fn reply) const;

  // The registered routes as (verb, pattern, access), in registration order; for the
  // OpenAPI parity test.
  struct route_info {
    bhttp::verb verb;
    std::string pattern;
    access acc;
  };
  std::vector<route_info> routes() const;

private:
  struct route {
    bhttp::verb verb;
    std::vector<std::string> segments;
    access acc;
    handler h;
  };
  authenticator auth_;
  std::vector<route> routes_;
};

// Splits "a/b?x=1&y=%20" into a decoded path and query map. Returns false if percent-encoding
// is broken.
bool split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& query);

} // namespace gc::http

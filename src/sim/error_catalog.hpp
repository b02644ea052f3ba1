#pragma once
// The scriptable error catalog (gmail-api.md §1.1, §3.2, §8): one table of Google's error
// answers by name, so a test can make the next N calls of a mailbox fail with exactly that body
// (POST /__sim/faults/next, see sim_server_routes.cpp). Gmail entries answer
// {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}; `status_only`
// entries answer {"error":{"code","message","status"}}; `html` is the front end's HTML page;
// `oauth` entries are token-endpoint answers {"error","error_description"}.
#include "http/types.hpp"

#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace gc::sim {

enum class error_shape {
  gmail,         // the full Gmail body (errors[] list)
  gmail_auth,    // 401 authError with location/locationType and WWW-Authenticate
  status_only,   // no errors[] list
  html,          // Google front end's HTML error page (no JSON at all)
  oauth,         // token endpoint: reason = `error`, message = `error_description`
};

struct catalog_entry {
  std::string_view name;
  unsigned status;
  std::string_view domain;
  std::string_view reason;
  std::string_view grpc_status;         // "" = no "status" member
  error_shape shape;
  std::string_view message;             // may hold {mailbox} and {retry_at}
  std::string_view inner_message = {};  // errors[0].message when it differs from `message`
};

// Values for the placeholders of an entry's message.
struct catalog_vars {
  std::string mailbox;                               // {mailbox}
  std::chrono::system_clock::time_point retry_at{};  // {retry_at}, RFC 3339 with ms, UTC
};

std::span<const catalog_entry> error_catalog();
const catalog_entry* find_catalog_entry(std::string_view name);   // nullptr if unknown
bool is_token_entry(const catalog_entry& e);

// The HTTP answer for an entry.
http::response_t catalog_response(const catalog_entry& e, const catalog_vars& vars);

// [{"name","http","domain","reason","message","status","endpoint"}] for GET /__sim/faults/catalog.
json catalog_json();

} // namespace gc::sim

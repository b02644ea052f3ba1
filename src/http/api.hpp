#pragma once
// The service's REST API: builds the router for `gmail-capture serve`.
#include "core/config.hpp"
#include "http/router.hpp"

#include <memory>

namespace gc::actors {
class runtime;
class sync_service;
}
namespace gc::gmail {
struct services;
}

namespace gc::http {

// What route handlers need. All members outlive the router.
struct api_context {
  const core::config& cfg;
  actors::runtime& rt;
  // The Google side (src/gmail/services.hpp); null while the integration is disabled or not
  // configured: routes that need it answer 503.
  gmail::services* gmail = nullptr;
  // The mailbox syncers, rate limiter and matcher (actors/sync_service.hpp); null while the
  // integration is disabled: routes that need it answer 503.
  actors::sync_service* sync = nullptr;
};

// Bearer token -> principal, looked up on this thread's read-only connection.
authenticator make_authenticator(const std::string& db_path);

std::unique_ptr<router> make_api_router(api_context& ctx);

// Route groups, one file each.
void add_auth_routes(router& r, api_context& ctx);    // routes_auth.cpp
void add_email_routes(router& r, api_context& ctx);   // routes_email.cpp
void add_oauth_routes(router& r, api_context& ctx);   // routes_oauth.cpp
void add_accounts_routes(router& r, api_context& ctx);  // routes_accounts.cpp
void add_sync_routes(router& r, api_context& ctx);      // routes_sync.cpp (run-now, rematch)
void add_thread_routes(router& r, api_context& ctx);    // routes_threads.cpp
void add_content_routes(router& r, api_context& ctx);   // routes_content.cpp (HTML body, attachments)
void add_activity_routes(router& r, api_context& ctx);  // routes_activity.cpp
void add_openapi_routes(router& r, api_context& ctx);   // routes_openapi.cpp (GET /api/openapi.json)

// Parses a JSON object body; on failure replies 400 and returns nullopt.
std::optional<json> parse_json_body(const request_ctx& ctx, const reply_fn& reply);

} // namespace gc::http

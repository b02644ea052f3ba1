#include "http/api.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "store/read_connection.hpp"
#include "store/users_repo.hpp"

namespace gc::http {

authenticator make_authenticator(const std::string& db_path) {
  return [db_path](const std::string& token) -> std::optional<principal> {
    try {
      store::users_repo users{store::api_read_connection(db_path)};
      auto found = users.find_principal(core::sha256_hex(token));
      if (!found) {
        gc::log::error("token lookup failed: {}", found.error().message);
        return std::nullopt;
      }
      if (!*found) return std::nullopt;
      const auto& p = **found;
      return principal{p.user_id, p.username, p.role == "admin" ? role::admin : role::member, p.token_id};
    } catch (const std::exception& e) {
      gc::log::error("token lookup failed: {}", e.what());
      return std::nullopt;
    }
  };
}

std::optional<json> parse_json_body(const request_ctx& ctx, const reply_fn& reply) {
  auto parsed = json::parse(ctx.req.body(), nullptr, false);
  if (parsed.is_discarded()) {
    reply(error_response(400, "bad_json", "the request body is not valid JSON"));
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    reply(error_response(400, "bad_json", "the request body must be a JSON object"));
    return std::nullopt;
  }
  return parsed;
}

std::unique_ptr<router> make_api_router(api_context& ctx) {
  auto r = std::make_unique<router>(make_authenticator(ctx.cfg.db_path));
  add_auth_routes(*r, ctx);
  add_email_routes(*r, ctx);
  add_oauth_routes(*r, ctx);
  add_accounts_routes(*r, ctx);
  add_sync_routes(*r, ctx);
  add_thread_routes(*r, ctx);
  add_content_routes(*r, ctx);
  add_activity_routes(*r, ctx);
  add_openapi_routes(*r, ctx);
  return r;
}

} // namespace gc::http

// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me, POST /api/admin/tokens.
#include "actors/runtime.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "http/api.hpp"
#include "store/read_connection.hpp"
#include "store/users_repo.hpp"

#include <chrono>

namespace gc::http {
namespace {

// A real scrypt hash of a random password: verifying against it costs what a real check costs,
// so an unknown username takes as long as a wrong password.
const std::string& dummy_hash() {
  static const std::string h = core::hash_password(core::random_token());
  return h;
}

std::string iso_in_hours(int hours) {
  return core::iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(hours));
}

// Creates a token for `user_id` through the store writer and replies with it.
void issue_token(api_context& ctx, int64_t user_id, std::string label, std::optional<std::string> expires_at,
                 json extra, reply_fn reply) {
  auto token = core::random_token();
  store::new_token t{core::sha256_hex(token), user_id, std::move(label), expires_at};
  ctx.rt.write(
      [t](store::connection& c) -> int64_t {
        auto id = store::users_repo{c}.insert_token(t);
        if (!id) throw std::runtime_error(id.error().message);
        return *id;
      },
      [token, expires_at, extra = std::move(extra), reply](gc::result<int64_t> r) mutable {
        if (!r) {
          gc::log::error("token insert failed: {}", r.error().message);
          return reply(error_response(500, "internal", "could not store the token"));
        }
        extra["token"] = token;
        extra["expires_at"] = expires_at ? json(*expires_at) : json(nullptr);
        reply(json_response(200, extra));
      });
}

std::optional<std::string> string_field(const json& body, const char* name, const reply_fn& reply) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    reply(error_response(400, "bad_request", std::string{"'"} + name + "' must be a non-empty string"));
    return std::nullopt;
  }
  return it->get<std::string>();
}

} // namespace

void add_auth_routes(router& r, api_context& ctx) {
  r.post("/api/auth/login", access::open, [&ctx](request_ctx req, reply_fn reply) {
    auto body = parse_json_body(req, reply);
    if (!body) return;
    auto username = string_field(*body, "username", reply);
    if (!username) return;
    auto password = string_field(*body, "password", reply);
    if (!password) return;
    auto found = store::users_repo{store::api_read_connection(ctx.cfg.db_path)}.find_user(*username);
    if (!found) return reply(error_response(500, "internal", "could not read users"));
    const auto& u = *found;
    bool ok = u && u->is_active && !u->password_hash.empty()
                  ? core::verify_password(*password, u->password_hash)
                  : (core::verify_password(*password, dummy_hash()), false);
    if (!ok) {
      gc::log::warn("login refused for a user name from {}", req.remote);
      return reply(error_response(401, "invalid_credentials", "wrong username or password"));
    }
    json user{{"id", u->id}, {"username", u->username}, {"name", u->name}, {"role", u->role}};
    issue_token(ctx, u->id, "login", iso_in_hours(ctx.cfg.auth_token_ttl_hours), json{{"user", user}},
                std::move(reply));
  });

  r.post("/api/auth/logout", access::user, [&ctx](request_ctx req, reply_fn reply) {
    auto token_id = req.user->token_id;
    ctx.rt.write(
        [token_id](store::connection& c) -> int64_t {
          auto r = store::users_repo{c}.revoke_token(token_id);
          if (!r) throw std::runtime_error(r.error().message);
          return *r ? 1 : 0;
        },
        [reply](gc::result<int64_t> r) {
          if (!r) return reply(error_response(500, "internal", "could not revoke the token"));
          reply(json_response(200, {{"revoked", *r == 1}}));
        });
  });

  r.get("/api/auth/me", access::user, [](request_ctx req, reply_fn reply) {
    reply(json_response(200, {{"id", req.user->user_id},
                              {"username", req.user->username},
                              {"role", req.user->user_role == role::admin ? "admin" : "member"}}));
  });

  // Admin: a long-lived token for another user (e.g. the CRM frontend's service user).
  r.post("/api/admin/tokens", access::admin, [&ctx](request_ctx req, reply_fn reply) {
    auto body = parse_json_body(req, reply);
    if (!body) return;
    auto username = string_field(*body, "username", reply);
    if (!username) return;
    std::optional<std::string> expires_at;
    if (auto it = body->find("expires_in_hours"); it != body->end()) {
      if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 24 * 365 * 5)
        return reply(error_response(400, "bad_request", "'expires_in_hours' must be an integer from 1 to 43800"));
      expires_at = iso_in_hours(it->get<int>());
    }
    auto found = store::users_repo{store::api_read_connection(ctx.cfg.db_path)}.find_user(*username);
    if (!found) return reply(error_response(500, "internal", "could not read users"));
    if (!*found || !(*found)->is_active)
      return reply(error_response(404, "not_found", "no active user '" + *username + "'"));
    std::string label = "admin:" + req.user->username;
    if (auto it = body->find("label"); it != body->end()) {
      if (!it->is_string()) return reply(error_response(400, "bad_request", "'label' must be a string"));
      label = it->get<std::string>();
    }
    issue_token(ctx, (*found)->id, label, expires_at, json{{"username", (*found)->username}}, std::move(reply));
  });
}

} // namespace gc::http

// The per-user OAuth half of the token endpoint (gmail-api.md §1.2): the consent redirect, the
// authorization_code and refresh_token grants, and revocation.
//   unknown client_id            -> 401 invalid_client "The OAuth client was not found."
//   wrong client_secret          -> 401 invalid_client "Unauthorized"
//   unknown / used / stale code  -> 400 invalid_grant "Malformed auth code." (choice)
//   redirect_uri differs         -> 400 redirect_uri_mismatch "Bad Request"
//   PKCE verifier missing/wrong  -> 400 invalid_grant "Missing code verifier." / "Invalid code verifier."
//   unknown or revoked refresh   -> 400 invalid_grant "Token has been expired or revoked."
//   refresh of another client    -> 401 unauthorized_client "Unauthorized" (choice)
#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "sim/endpoint_errors.hpp"
#include "sim/token_endpoint.hpp"
#include "sim/workspace.hpp"

#include <algorithm>

namespace gc::sim {
namespace {

bool is_http_uri(const std::string& u) {
  return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0;
}

http::response_t redirect(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string loc = uri;
  char sep = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    loc += sep + k + "=" + core::url_encode(v);
    sep = '&';
  }
  http::response_t res{http::bhttp::status::found, 11};
  res.set(http::bhttp::field::location, loc);
  res.set(http::bhttp::field::cache_control, "no-cache, no-store, max-age=0, must-revalidate");
  res.prepare_payload();
  return res;
}

// client_id/client_secret from the form, or from "Authorization: Basic".
std::pair<std::string, std::string> client_credentials(const std::multimap<std::string, std::string>& f,
                                                       const http::request_ctx& ctx) {
  auto get = [&](const char* n) {
    auto it = f.find(n);
    return it == f.end() ? std::string{} : it->second;
  };
  std::string id = get("client_id"), secret = get("client_secret");
  auto auth = std::string{ctx.req[http::bhttp::field::authorization]};
  if (id.empty() && auth.rfind("Basic ", 0) == 0) {
    if (auto dec = core::base64_decode(auth.substr(6))) {
      auto colon = dec->find(':');
      if (colon != std::string::npos) {
        id = core::url_decode(dec->substr(0, colon)).value_or("");
        secret = core::url_decode(dec->substr(colon + 1)).value_or("");
      }
    }
  }
  return {id, secret};
}

} // namespace

http::response_t token_endpoint::authorize(const http::request_ctx& ctx) {
  auto client = get_oauth_client();
  auto q = [&](const char* n) { return ctx.q(n).value_or(""); };
  if (q("client_id") != client.client_id)
    return refuse(401, "invalid_client", "The OAuth client was not found.");
  auto redirect_uri = q("redirect_uri");
  bool listed = client.redirect_uris.empty() ||
                std::find(client.redirect_uris.begin(), client.redirect_uris.end(), redirect_uri) !=
                    client.redirect_uris.end();
  if (!is_http_uri(redirect_uri) || !listed) return refuse(400, "redirect_uri_mismatch", "Bad Request");
  auto state = q("state");
  std::vector<std::pair<std::string, std::string>> params;
  if (!state.empty()) params.emplace_back("state", state);
  if (q("response_type") != "code") {
    params.emplace_back("error", "unsupported_response_type");
    return redirect(redirect_uri, params);
  }
  auto scopes = split_scopes(q("scope"));
  if (scopes.empty()) return refuse(400, "invalid_request", "Missing required parameter: scope");
  auto method = q("code_challenge_method");
  if (!q("code_challenge").empty() && !method.empty() && method != "S256" && method != "plain")
    return refuse(400, "invalid_request", "Invalid code_challenge_method");
  if (client.deny_consent) {
    params.emplace_back("error", "access_denied");
    return redirect(redirect_uri, params);
  }
  auto user = mailbox_for(q("login_hint"));
  if (user.empty()) user = mailbox_for(client.test_user);
  if (user.empty()) {
    auto all = ws_.mailboxes();
    if (all.empty()) return refuse(400, "invalid_request", "The workspace has no mailbox");
    user = all.front();
  }
  auth_code code;
  code.subject = user;
  code.scopes = scopes;
  code.client_id = client.client_id;
  code.redirect_uri = redirect_uri;
  code.offline = q("access_type") == "offline";
  if (auto ch = q("code_challenge"); !ch.empty()) code.code_challenge = method == "plain" ? "plain:" + ch : ch;
  auto issued = tokens_.issue_code(std::move(code));
  count("authorized");
  params.emplace_back("code", issued);
  params.emplace_back("scope", join_scopes(scopes));
  return redirect(redirect_uri, params);
}

std::optional<http::response_t> token_endpoint::check_client(const form_t& f,
                                                             const http::request_ctx& ctx) const {
  auto [id, secret] = client_credentials(f, ctx);
  auto client = get_oauth_client();
  if (id.empty() || id != client.client_id)
    return oauth_error(401, "invalid_client", "The OAuth client was not found.");
  if (!core::constant_time_equal(secret, client.client_secret))
    return oauth_error(401, "invalid_client", "Unauthorized");
  return std::nullopt;
}

http::response_t token_endpoint::code_grant(const form_t& f, const http::request_ctx& ctx) {
  if (auto bad = check_client(f, ctx)) {
    count("refused.invalid_client");
    return std::move(*bad);
  }
  auto client_id = client_credentials(f, ctx).first;
  auto code = tokens_.redeem_code(field(f, "code"));
  if (!code || code->client_id != client_id) return refuse(400, "invalid_grant", "Malformed auth code.");
  if (field(f, "redirect_uri") != code->redirect_uri) return refuse(400, "redirect_uri_mismatch", "Bad Request");
  if (!code->code_challenge.empty()) {
    auto verifier = field(f, "code_verifier");
    if (verifier.empty()) return refuse(400, "invalid_grant", "Missing code verifier.");
    bool plain = code->code_challenge.rfind("plain:", 0) == 0;
    auto expect = plain ? code->code_challenge.substr(6) : code->code_challenge;
    auto got = plain ? verifier : core::base64url_encode(core::sha256(verifier));
    if (!core::constant_time_equal(got, expect)) return refuse(400, "invalid_grant", "Invalid code verifier.");
  }
  std::string refresh;
  if (code->offline) refresh = tokens_.issue_refresh(code->subject, code->scopes, client_id);
  auto access = tokens_.issue_access(code->subject, code->scopes, client_id, refresh);
  count("granted.authorization_code");
  json body = {{"access_token", access},
               {"expires_in", tokens_.ttl().count()},
               {"scope", join_scopes(code->scopes)},
               {"token_type", "Bearer"}};
  if (!refresh.empty()) body["refresh_token"] = refresh;
  return google_json(200, body);
}

http::response_t token_endpoint::refresh_grant(const form_t& f, const http::request_ctx& ctx) {
  if (auto bad = check_client(f, ctx)) {
    count("refused.invalid_client");
    return std::move(*bad);
  }
  auto client_id = client_credentials(f, ctx).first;
  auto rt = field(f, "refresh_token");
  auto grant = tokens_.find_refresh(rt);
  if (!grant) return refuse(400, "invalid_grant", "Token has been expired or revoked.");
  if (grant->client_id != client_id) return refuse(401, "unauthorized_client", "Unauthorized");
  auto scopes = grant->scopes;
  if (auto asked = split_scopes(field(f, "scope")); !asked.empty()) {
    for (const auto& s : asked)
      if (std::find(scopes.begin(), scopes.end(), s) == scopes.end())
        return refuse(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    scopes = asked;
  }
  auto access = tokens_.issue_access(grant->subject, scopes, client_id, rt);
  count("granted.refresh_token");
  return google_json(200, {{"access_token", access},
                           {"expires_in", tokens_.ttl().count()},
                           {"scope", join_scopes(scopes)},
                           {"token_type", "Bearer"}});
}

http::response_t token_endpoint::revoke(const http::request_ctx& ctx) {
  auto f = parse_form(ctx);
  if (tokens_.revoke(field(f, "token"))) {
    count("revoked");
    return google_json(200, json::object());
  }
  return refuse(400, "invalid_token", "Token expired or revoked");
}

} // namespace gc::sim

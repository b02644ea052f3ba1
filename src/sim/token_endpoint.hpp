#pragma once
// The simulated Google OAuth 2.0 server (gmail-api.md §1):
//   POST /token                 JWT-bearer (DWD), authorization_code and refresh_token grants
//   GET  /o/oauth2/v2/auth      consent simulated: 302 to redirect_uri with code and state
//   POST /revoke                revokes a refresh or access token
// JWT assertions are verified for real (RS256 against the registered service account's key,
// aud, iat/exp with 60 s skew and a 3600 s cap, sub in the workspace, scopes in the DWD list).
// Error bodies are Google's {"error","error_description"}; choices where Google's text is not
// documented are listed in the .cpp.
#include "http/router.hpp"
#include "sim/faults.hpp"
#include "sim/token_accounts.hpp"
#include "sim/token_store.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gc::sim {

class workspace;

class token_endpoint {
public:
  token_endpoint(token_store& tokens, const workspace& ws, fault_injector& faults,
                 const sim_clock& clock);

  // The URL this endpoint is reached at ("http://127.0.0.1:PORT/token"): the `aud` every JWT
  // must carry (Google's own https://oauth2.googleapis.com/token is accepted too).
  void set_token_uri(std::string uri);
  std::string token_uri() const;
  void add_service_account(service_account sa);
  std::optional<service_account> find_service_account(const std::string& email) const;
  void set_dwd_scopes(const std::string& client_email, std::vector<std::string> scopes);
  void set_oauth_client(oauth_client c);
  oauth_client get_oauth_client() const;

  void install(http::router& r);

  http::response_t token(const http::request_ctx& ctx);
  http::response_t authorize(const http::request_ctx& ctx);
  http::response_t revoke(const http::request_ctx& ctx);

  json stats() const;   // grants by type and refusals by error code

private:
  using form_t = std::multimap<std::string, std::string>;
  static form_t parse_form(const http::request_ctx& ctx);
  static std::string field(const form_t& f, const std::string& name);

  http::response_t jwt_grant(const form_t& f, const http::request_ctx& ctx);
  http::response_t code_grant(const form_t& f, const http::request_ctx& ctx);
  http::response_t refresh_grant(const form_t& f, const http::request_ctx& ctx);
  // nullopt when the client authenticates; else the 401 invalid_client reply.
  std::optional<http::response_t> check_client(const form_t& f, const http::request_ctx& ctx) const;
  // The canonical mailbox address for `email`, or "" when the workspace has none.
  std::string mailbox_for(const std::string& email) const;
  http::response_t refuse(unsigned status, const std::string& code, const std::string& text);
  void count(const std::string& key);

  token_store& tokens_;
  const workspace& ws_;
  fault_injector& faults_;
  const sim_clock& clock_;

  mutable std::mutex mu_;
  std::string token_uri_;
  std::vector<service_account> accounts_;
  oauth_client client_;
  std::map<std::string, int64_t> counters_;
};

} // namespace gc::sim

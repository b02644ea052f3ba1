#pragma once
// Credentials the simulated Google hands out: opaque access tokens ("ya29.sim-…") bound to a
// subject and scopes, refresh tokens ("1//sim-…") and single-use authorization codes
// ("4/sim-…"). Lookups honour the simulator clock, so expiry is testable. Thread-safe.
#include "core/json.hpp"
#include "sim/sim_server_clock.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gc::sim {

struct access_grant {
  std::string subject;               // mailbox address; empty = the service account itself
  std::vector<std::string> scopes;
  std::string client_id;
  sim_clock::time_point expires{};
  std::string refresh_token;         // the refresh token it came from, if any
};

struct refresh_grant {
  std::string subject;
  std::vector<std::string> scopes;
  std::string client_id;
};

struct auth_code {
  std::string subject;
  std::vector<std::string> scopes;
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;        // PKCE S256, may be empty
  bool offline = false;              // access_type=offline: a refresh token comes with it
  sim_clock::time_point expires{};
};

class token_store {
public:
  token_store(const sim_clock& clock, std::chrono::seconds ttl = std::chrono::seconds(3599));

  std::chrono::seconds ttl() const;
  void set_ttl(std::chrono::seconds ttl);

  std::string issue_access(std::string subject, std::vector<std::string> scopes,
                           std::string client_id, std::string refresh_token = {});
  // nullopt: unknown, expired or revoked.
  std::optional<access_grant> find_access(const std::string& token) const;

  std::string issue_refresh(std::string subject, std::vector<std::string> scopes,
                            std::string client_id);
  std::optional<refresh_grant> find_refresh(const std::string& token) const;

  std::string issue_code(auth_code code);      // valid for 10 minutes, once
  std::optional<auth_code> redeem_code(const std::string& code);

  // Revokes a refresh token (and every access token minted from it) or one access token.
  // False if the token is unknown.
  bool revoke(const std::string& token);
  // Revokes every refresh token of a subject (tests); returns how many.
  int revoke_subject(const std::string& subject);

  json stats() const;   // {"access_issued","refresh_issued","codes_issued","revoked","live_access"}

private:
  void sweep();         // drops expired access tokens; caller holds mu_

  mutable std::mutex mu_;
  const sim_clock& clock_;
  std::chrono::seconds ttl_;
  std::map<std::string, access_grant> access_;
  std::map<std::string, refresh_grant> refresh_;
  std::map<std::string, auth_code> codes_;
  int64_t n_access_ = 0, n_refresh_ = 0, n_codes_ = 0, n_revoked_ = 0;
};

} // namespace gc::sim

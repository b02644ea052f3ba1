#pragma once
// The consent flow that enrols a mailbox in OAuth mode (gmail-api.md §1.2):
//   start():  a consent URL (client_id, redirect_uri, response_type=code, scope,
//             access_type=offline, prompt=consent, state, login_hint, PKCE S256) whose `state`
//             is a random token bound to the admin who asked, valid 10 minutes, usable once
//             (CSRF). States live in memory: a restart voids open consents (start again).
//   finish(): consumes the state, exchanges the code, asks Gmail whose mailbox it is
//             (getProfile of "me"), checks the granted scopes, and stores the sealed refresh
//             token through oauth_auth::enrol.
#include "gmail/oauth_auth.hpp"

#include <map>
#include <mutex>

namespace gc::gmail {

// The consent URL; `code_challenge` (S256) and `login_hint` are left out when empty.
std::string consent_url(const oauth_client_config& c, const scope_set& scopes, const std::string& state,
                        const std::string& login_hint, const std::string& code_challenge);

class oauth_consent {
public:
  // `api_base`: CRM_GMAIL_API_BASE (getProfile is asked there).
  oauth_consent(std::shared_ptr<oauth_auth> auth, std::string api_base, clock_fn clock = {},
                std::chrono::seconds state_ttl = std::chrono::minutes(10));

  struct started {
    std::string url;
    std::string state;
    std::chrono::system_clock::time_point expires_at;
  };
  started start(int64_t admin_user_id, const std::string& login_hint = {},
                const scope_set& scopes = scopes::capture);

  struct enrolled {
    std::string mailbox;          // as Gmail spells it
    scope_set granted;
    int64_t admin_user_id = 0;
  };
  // Errors: permanent "bad_state" (unknown, used or expired), permanent "scope_not_granted",
  // permanent "no_refresh_token", auth (the code was refused), retryable (network), and
  // retryable "store" when the token could not be saved. `done` runs once, any thread.
  void finish(const std::string& state, const std::string& code, std::function<void(outcome<enrolled>)> done);

  std::size_t open_states() const;

private:
  struct pending {
    int64_t admin_user_id;
    std::string code_verifier;    // PKCE; never log it
    scope_set scopes;
    std::chrono::system_clock::time_point expires_at;
  };
  void prune(std::chrono::system_clock::time_point now);   // caller holds mu_

  std::shared_ptr<oauth_auth> auth_;
  std::string api_base_;
  clock_fn clock_;
  std::chrono::seconds ttl_;
  mutable std::mutex mu_;
  std::map<std::string, pending> states_;
};

} // namespace gc::gmail

#pragma once
// `gmail-capture serve` as a child process for the API tests: start on 127.0.0.1:0, real HTTP
// calls with a bearer token, users made with the real CLI, read-only SQL on the real database
// file, and polling with a deadline (never a sleep as an assertion).
#include "sim_harness.hpp"
#include "store/db.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace gc::test {

struct serve_process {
  explicit serve_process(std::map<std::string, std::string> env);
  std::map<std::string, std::string> env;
  uint16_t port = 0;
  std::unique_ptr<child_process> proc;

  // One request; `body` is sent as application/json when not empty.
  http_reply call(const std::string& method, const std::string& target, const std::string& token = "",
                  const std::string& body = "") const;
  http_reply post(const std::string& target, const std::string& token, const json& body) const {
    return call("POST", target, token, body.dump());
  }
  // GET /api/email/status, REQUIREd to answer 200.
  json status(const std::string& token) const;
  // POST /api/auth/login -> token (REQUIREs 200), as the runbook's first curl line does.
  std::string login(const std::string& username, const std::string& password) const;
};

// `gmail-capture migrate` and `gmail-capture user add EMAIL --role ROLE` (REQUIREs success).
void migrate(const std::map<std::string, std::string>& env);
void add_user(const std::map<std::string, std::string>& env, const std::string& email, const std::string& role,
              const std::string& password);

// Calls `probe` every 100 ms until it returns true or `timeout` passes; returns its last result.
bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout = std::chrono::seconds(90));

// Read-only SQL against the service's database file.
int64_t db_count(const std::string& db_path, const std::string& sql);
int64_t db_count(const std::string& db_path, const std::string& sql, const std::string& text_param);

// The account row of `email` in a status body; null json when absent.
json account_of(const json& status, const std::string& email);

// Message ids of `mailbox` in the simulator's truth that the service must capture.
std::set<std::string> truth_ids(const sim_process& sim, const std::string& mailbox);
// Gmail ids sighted in `mailbox` (permanent deletes excluded).
std::set<std::string> sighted_ids(const std::string& db_path, const std::string& mailbox);

} // namespace gc::test

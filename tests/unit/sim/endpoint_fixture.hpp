#pragma once
// A real simulator on 127.0.0.1:0 with a small generated workspace, plus a synchronous Beast
// client and JWT helpers, for the sim endpoint tests.
#include "sim/sim_server.hpp"

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace gc::test {

struct reply {
  unsigned status = 0;            // 0: the connection closed without an answer
  std::map<std::string, std::string> headers;   // lower-case names
  std::string body;
  json json_body() const { return json::parse(body, nullptr, false); }
};

class sim_fixture {
public:
  explicit sim_fixture(sim::sim_options opts = {}, const std::string& workspace = "mailboxes=3,messages=40,seed=7");
  ~sim_fixture();

  sim::sim_server& sim() { return *sim_; }
  std::string user(size_t i) const { return users_.at(i); }

  // One request on a fresh connection.
  reply call(const std::string& method, const std::string& target, const std::string& body = {},
             const std::map<std::string, std::string>& headers = {});
  reply get(const std::string& target, const std::string& token = {});
  reply post_form(const std::string& target, const std::string& form);

  // A JWT-bearer assertion for the sim's service account; `patch` overrides claims.
  std::string assertion(const std::string& sub, const std::string& scopes, const json& patch = json::object()) const;
  // The /token reply for an assertion.
  reply jwt_grant(const std::string& assertion_text);
  // An access token for `sub` (empty: none) with the given scopes; REQUIREs success.
  std::string token_for(const std::string& sub,
                        const std::string& scopes = "https://www.googleapis.com/auth/gmail.readonly");

private:
  boost::asio::io_context ioc_;
  std::unique_ptr<sim::sim_server> sim_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread runner_;
  std::vector<std::string> users_;
};

// "application/x-www-form-urlencoded" body from pairs.
std::string form(const std::vector<std::pair<std::string, std::string>>& kv);

} // namespace gc::test

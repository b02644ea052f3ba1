#include "serve_harness.hpp"

#include "store/db.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <thread>

namespace gc::test {

serve_process::serve_process(std::map<std::string, std::string> e) : env(std::move(e)) {
  proc = std::make_unique<child_process>(std::vector<std::string>{GC_BINARY, "serve"}, env);
  auto ready = proc->wait_for_stdout_line("listening on");
  INFO(proc->err());
  REQUIRE(ready);
  std::smatch m;
  std::regex re{R"(http://[0-9.]+:(\d+))"};
  REQUIRE(std::regex_search(*ready, m, re));
  port = static_cast<uint16_t>(std::stoi(m[1]));
}

http_reply serve_process::call(const std::string& method, const std::string& target, const std::string& token,
                               const std::string& body) const {
  http_request_opts o;
  if (!token.empty()) o.headers["Authorization"] = "Bearer " + token;
  o.body = body;
  return http_call("127.0.0.1", port, method, target, o);
}

json serve_process::status(const std::string& token) const {
  auto r = call("GET", "/api/email/status", token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::string serve_process::login(const std::string& username, const std::string& password) const {
  auto r = post("/api/auth/login", "", json{{"username", username}, {"password", password}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body)["token"].get<std::string>();
}

void migrate(const std::map<std::string, std::string>& env) {
  auto r = gc_run({"migrate"}, env);
  INFO(r.err);
  REQUIRE(r.code == 0);
}

void add_user(const std::map<std::string, std::string>& env, const std::string& email, const std::string& role,
              const std::string& password) {
  auto r = gc_run({"user", "add", email, "--name", email.substr(0, email.find('@')), "--role", role,
                   "--password-stdin"},
                  env, password + "\n");
  INFO(r.err);
  REQUIRE(r.code == 0);
}

bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() > deadline) return probe();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int64_t db_count(const std::string& db_path, const std::string& sql) {
  store::connection c{db_path, store::open_mode::read_only};
  auto st = c.prepare(sql);
  REQUIRE(st.step());
  return st.int64(0);
}

int64_t db_count(const std::string& db_path, const std::string& sql, const std::string& text_param) {
  store::connection c{db_path, store::open_mode::read_only};
  auto st = c.prepare(sql);
  st.bind(1, text_param);
  REQUIRE(st.step());
  return st.int64(0);
}

json account_of(const json& status, const std::string& email) {
  for (const auto& a : status.value("accounts", json::array()))
    if (a.value("email", "") == email) return a;
  return json{};
}

std::set<std::string> truth_ids(const sim_process& sim, const std::string& mailbox) {
  std::set<std::string> out;
  for (const auto& t : sim.truth())
    if (t.value("mailbox", "") == mailbox && t.value("capture", false)) out.insert(t["id"].get<std::string>());
  return out;
}

std::set<std::string> sighted_ids(const std::string& db_path, const std::string& mailbox) {
  store::connection c{db_path, store::open_mode::read_only};
  auto st = c.prepare(
      "SELECT m.gmail_message_id FROM email_account_messages m JOIN email_accounts a ON a.id = m.account_id "
      "WHERE a.email = ?1 AND m.deleted_reason IS NOT 'deleted'");
  st.bind(1, mailbox);
  std::set<std::string> out;
  while (st.step()) out.insert(st.text(0));
  return out;
}

} // namespace gc::test

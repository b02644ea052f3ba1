// The real `gmail-capture` binary end to end: configuration errors, migrate, user and token
// commands, `serve` on 127.0.0.1:0 answering real requests, roles, graceful SIGTERM, no secret
// in any log line or response.
#include "core/json.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <regex>

using gc::json;
using namespace gc::test;

namespace {

std::map<std::string, std::string> base_env(const temp_dir& dir) {
  return {{"CRM_DB_PATH", dir.file("crm.db")},
          {"CRM_DATA_DIR", dir.file("data")},
          {"CRM_HTTP_ADDR", "127.0.0.1:0"}};
}

uint16_t port_of(const std::string& ready_line) {
  std::smatch m;
  std::regex re{R"(http://[0-9.]+:(\d+))"};
  REQUIRE(std::regex_search(ready_line, m, re));
  return static_cast<uint16_t>(std::stoi(m[1]));
}

http_request_opts bearer(const std::string& token, std::string body = "") {
  http_request_opts o;
  o.headers["Authorization"] = "Bearer " + token;
  o.body = std::move(body);
  return o;
}

} // namespace

TEST_CASE("a malformed setting stops start-up with exit code 2 naming the variable", "[service]") {
  temp_dir dir;
  struct bad_case { const char* var; const char* value; };
  for (auto [var, value] : {bad_case{"CRM_HTTP_ADDR", "localhost"}, bad_case{"CRM_HTTP_ADDR", "127.0.0.1:99999"},
                            bad_case{"CRM_GMAIL_RATE_UNITS_SEC", "fast"},
                            bad_case{"CRM_GMAIL_INTEGRATION_ENABLED", "maybe"},
                            bad_case{"CRM_GMAIL_QUOTA_COSTS", "2025"}}) {
    auto env = base_env(dir);
    env[var] = value;
    auto r = run_process({GC_BINARY, "serve"}, env);
    INFO(var << "=" << value << " -> " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(var) != std::string::npos);
  }
  auto env = base_env(dir);
  env["CRM_GMAIL_SECRET_KEY"] = "c2hvcnQ=";  // "short": the error names the variable, not the value
  auto r = run_process({GC_BINARY, "serve"}, env);
  CHECK(r.code == 2);
  CHECK(r.err.find("CRM_GMAIL_SECRET_KEY") != std::string::npos);
  CHECK(r.err.find("c2hvcnQ=") == std::string::npos);
}

TEST_CASE("every subcommand has --help", "[service]") {
  temp_dir dir;
  for (const char* cmd : {"serve", "migrate", "user", "token", "version", "sim"}) {
    auto r = run_process({GC_BINARY, cmd, "--help"}, base_env(dir));
    INFO(cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("usage: gmail-capture") != std::string::npos);
  }
  CHECK(run_process({GC_BINARY, "frobnicate"}, base_env(dir)).code == 2);
}

TEST_CASE("serve: login, status, roles, 503, logout and a graceful SIGTERM", "[service]") {
  temp_dir dir;
  auto env = base_env(dir);
  const std::string admin_pw = "correct horse battery staple";
  const std::string member_pw = "member-password-123";

  auto m1 = run_process({GC_BINARY, "migrate"}, env);
  REQUIRE(m1.code == 0);
  CHECK(m1.out.find("applied migration 0001") != std::string::npos);
  auto m2 = run_process({GC_BINARY, "migrate"}, env);
  REQUIRE(m2.code == 0);
  CHECK(m2.out.find("up to date") != std::string::npos);

  REQUIRE(run_process({GC_BINARY, "user", "add", "ada@fund.example", "--name", "Ada", "--role", "admin",
                       "--password-stdin"}, env, admin_pw + "\n").code == 0);
  REQUIRE(run_process({GC_BINARY, "user", "add", "max@fund.example", "--name", "Max", "--role", "member",
                       "--password-stdin"}, env, member_pw + "\n").code == 0);
  auto dup = run_process({GC_BINARY, "user", "add", "ada@fund.example", "--name", "Ada", "--role", "admin",
                          "--password-stdin"}, env, admin_pw + "\n");
  CHECK(dup.code == 2);
  auto cli_token = run_process({GC_BINARY, "token", "create", "max@fund.example"}, env);
  REQUIRE(cli_token.code == 0);
  auto member_cli_token = cli_token.out.substr(0, cli_token.out.find('\n'));
  REQUIRE(member_cli_token.size() >= 40);

  child_process svc{{GC_BINARY, "serve"}, env};
  auto ready = svc.wait_for_stdout_line("listening on");
  REQUIRE(ready);
  auto port = port_of(*ready);

  auto login = http_call("127.0.0.1", port, "POST", "/api/auth/login",
                         {.body = json{{"username", "ada@fund.example"}, {"password", admin_pw}}.dump()});
  REQUIRE(login.status == 200);
  auto admin_token = json::parse(login.body)["token"].get<std::string>();
  CHECK(json::parse(login.body)["user"]["role"] == "admin");

  auto wrong = http_call("127.0.0.1", port, "POST", "/api/auth/login",
                         {.body = json{{"username", "ada@fund.example"}, {"password", "nope"}}.dump()});
  CHECK(wrong.status == 401);
  auto unknown = http_call("127.0.0.1", port, "POST", "/api/auth/login",
                           {.body = json{{"username", "who@fund.example"}, {"password", "nope"}}.dump()});
  CHECK(unknown.status == 401);
  CHECK(unknown.body == wrong.body);  // no user enumeration
  CHECK(http_call("127.0.0.1", port, "POST", "/api/auth/login", {.body = "{not json"}).status == 400);
  CHECK(http_call("127.0.0.1", port, "POST", "/api/auth/login", {.body = R"({"username":"x"})"}).status == 400);

  auto status = http_call("127.0.0.1", port, "GET", "/api/email/status", bearer(admin_token));
  REQUIRE(status.status == 200);
  auto st = json::parse(status.body);
  CHECK(st["enabled"] == false);
  CHECK(st["auth_method"] == "dwd");
  CHECK(st["accounts"].is_array());
  CHECK(st["counts"]["emails"] == 0);
  CHECK(st["sync_runs"].is_array());
  REQUIRE(st["actors"].is_array());
  CHECK(st["actors"][0]["name"] == "store");
  CHECK(st["actors"][0]["restarts"] == 0);

  CHECK(http_call("127.0.0.1", port, "GET", "/api/email/status").status == 401);
  CHECK(http_call("127.0.0.1", port, "GET", "/api/email/accounts", bearer(admin_token)).status == 503);

  // A member: reads status, is refused the admin route.
  CHECK(http_call("127.0.0.1", port, "GET", "/api/email/status", bearer(member_cli_token)).status == 200);
  auto forbidden = http_call("127.0.0.1", port, "POST", "/api/admin/tokens",
                             bearer(member_cli_token, json{{"username", "max@fund.example"}}.dump()));
  CHECK(forbidden.status == 403);
  auto minted = http_call("127.0.0.1", port, "POST", "/api/admin/tokens",
                          bearer(admin_token, json{{"username", "max@fund.example"}, {"label", "crm"}}.dump()));
  REQUIRE(minted.status == 200);
  auto minted_token = json::parse(minted.body)["token"].get<std::string>();
  CHECK(http_call("127.0.0.1", port, "GET", "/api/auth/me", bearer(minted_token)).status == 200);

  // Logout revokes the token.
  CHECK(http_call("127.0.0.1", port, "POST", "/api/auth/logout", bearer(minted_token)).status == 200);
  CHECK(http_call("127.0.0.1", port, "GET", "/api/auth/me", bearer(minted_token)).status == 401);

  svc.signal(SIGTERM);
  auto code = svc.wait();
  REQUIRE(code);
  CHECK(*code == 0);
  // The WAL was checkpointed and truncated on the way out.
  auto wal = dir.file("crm.db") + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));

  // No secret in any log line.
  auto log = svc.err() + svc.out();
  CHECK(log.find("listening") != std::string::npos);
  for (const auto& secret : {admin_pw, member_pw, admin_token, member_cli_token, minted_token})
    CHECK(log.find(secret) == std::string::npos);
  CHECK(log.find("POST /api/auth/login 200") != std::string::npos);
}

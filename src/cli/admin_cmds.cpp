// `migrate`, `user add`, `token create`: operator commands that write the database directly
// (before or beside a running service; SQLite's busy timeout serializes them).
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "store/users_repo.hpp"

#include <cstdio>
#include <iostream>

namespace gc::cli {

int cmd_migrate(const args& a) {
  if (wants_help(a, "usage: gmail-capture migrate\n\n"
                    "Applies pending migrations to CRM_DB_PATH (creating it if needed) and exits.\n"
                    "Running it again changes nothing.\n"))
    return 0;
  auto cfg = load_config_or_report();
  if (!cfg) return 2;
  return open_migrated(*cfg, true) ? 0 : 1;
}

int cmd_user(const args& a) {
  constexpr const char* help =
      "usage: gmail-capture user add EMAIL --name NAME --role admin|member --password-stdin\n\n"
      "Creates a CRM user who can log in with EMAIL. The password is read from the first line\n"
      "of standard input (at least 8 characters) and stored as an scrypt hash.\n";
  if (wants_help(a, help)) return 0;
  if (a.size() < 2 || a[0] != "add") {
    std::fputs(help, stderr);
    return 2;
  }
  const std::string& email = a[1];
  bool bad = false;
  auto name = flag_value(a, "--name", bad);
  auto role = flag_value(a, "--role", bad).value_or("member");
  bool from_stdin = false;
  for (const auto& x : a) from_stdin |= x == "--password-stdin";
  if (bad || !name || !from_stdin || email.find('@') == std::string::npos) {
    std::fprintf(stderr, "gmail-capture user add: need EMAIL, --name NAME and --password-stdin\n");
    return 2;
  }
  if (role != "admin" && role != "member") {
    std::fprintf(stderr, "gmail-capture user add: --role must be admin or member, got '%s'\n", role.c_str());
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 8) {
    std::fprintf(stderr, "gmail-capture user add: the password on stdin must have at least 8 characters\n");
    return 2;
  }
  auto cfg = load_config_or_report();
  if (!cfg) return 2;
  auto conn = open_migrated(*cfg);
  if (!conn) return 1;
  store::users_repo users{*conn};
  auto id = users.create_user({email, email, *name, role, core::hash_password(password)});
  if (!id) {
    std::fprintf(stderr, "gmail-capture user add: %s\n", id.error().message.c_str());
    return id.error().code == "conflict" ? 2 : 1;
  }
  std::printf("created user %lld (%s, %s)\n", static_cast<long long>(*id), email.c_str(), role.c_str());
  return 0;
}

int cmd_token(const args& a) {
  constexpr const char* help =
      "usage: gmail-capture token create EMAIL [--label TEXT] [--expires-in-hours N]\n\n"
      "Prints a new API bearer token for the user with that email or username. Only its\n"
      "SHA-256 is stored; the token itself is shown once. Without --expires-in-hours it does\n"
      "not expire (revoke it with POST /api/auth/logout).\n";
  if (wants_help(a, help)) return 0;
  if (a.size() < 2 || a[0] != "create") {
    std::fputs(help, stderr);
    return 2;
  }
  bool bad = false;
  auto label = flag_value(a, "--label", bad).value_or("cli");
  auto hours = flag_value(a, "--expires-in-hours", bad);
  std::optional<std::string> expires_at;
  if (hours) {
    int h = 0;
    try { h = std::stoi(*hours); } catch (...) { h = 0; }
    if (h < 1) bad = true;
    else expires_at = core::iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(h));
  }
  if (bad) {
    std::fprintf(stderr, "gmail-capture token create: bad flags\n%s", help);
    return 2;
  }
  auto cfg = load_config_or_report();
  if (!cfg) return 2;
  auto conn = open_migrated(*cfg);
  if (!conn) return 1;
  store::users_repo users{*conn};
  auto u = users.find_user(a[1]);
  if (!u) {
    std::fprintf(stderr, "gmail-capture token create: %s\n", u.error().message.c_str());
    return 1;
  }
  if (!*u || !(*u)->is_active) {
    std::fprintf(stderr, "gmail-capture token create: no active user '%s'\n", a[1].c_str());
    return 2;
  }
  auto token = core::random_token();
  auto id = users.insert_token({core::sha256_hex(token), (*u)->id, label, expires_at});
  if (!id) {
    std::fprintf(stderr, "gmail-capture token create: %s\n", id.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", token.c_str());
  return 0;
}

} // namespace gc::cli

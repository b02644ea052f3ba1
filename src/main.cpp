// gmail-capture: one binary, several subcommands. See `gmail-capture --help`.
#include "cli/commands.hpp"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

constexpr const char* usage = R"(usage: gmail-capture <command> [options]

Captures Google Workspace mail into the CRM's SQLite database, read-only.

commands:
  serve       run the service: HTTP API, sync scheduler, actors
  migrate     apply pending database migrations and exit
  user add    create a CRM user (password read from stdin)
  token create  print a new API bearer token for a user
  sync --once run one sync cycle of the enrolled mailboxes and exit
  parse FILE  print a message (.eml, or --gmail-json) as the canonical JSON
  sim         run the Google simulator (OAuth token endpoint + Gmail API)
  version     print the version

Run `gmail-capture <command> --help` for the options of one command.
Configuration comes from environment variables; see README.md.
)";

} // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  gc::cli::args rest(argv + 2, argv + argc);
  if (cmd == "serve") return gc::cli::cmd_serve(rest);
  if (cmd == "migrate") return gc::cli::cmd_migrate(rest);
  if (cmd == "user") return gc::cli::cmd_user(rest);
  if (cmd == "token") return gc::cli::cmd_token(rest);
  if (cmd == "sim") return gc::cli::cmd_sim(rest);
  if (cmd == "sync") return gc::cli::cmd_sync(rest);
  if (cmd == "parse") return gc::cli::cmd_parse(rest);
  if (cmd == "version" || cmd == "--version") return gc::cli::cmd_version(rest);
  std::fprintf(stderr, "gmail-capture: unknown command '%s'\n\n%s", cmd.c_str(), usage);
  return 2;
}

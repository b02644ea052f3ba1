#pragma once
// The `gmail-capture` subcommands. Each returns the process exit code:
// 0 ok, 1 runtime failure, 2 bad usage or bad configuration.
#include <string>
#include <vector>

namespace gc::cli {

using args = std::vector<std::string>;  // arguments after the subcommand name

int cmd_serve(const args& a);
int cmd_migrate(const args& a);
int cmd_user(const args& a);
int cmd_token(const args& a);
int cmd_version(const args& a);
int cmd_sim(const args& a);
int cmd_sync(const args& a);
int cmd_parse(const args& a);

// True if `a` asks for help (-h/--help); prints `text` then.
bool wants_help(const args& a, const char* text);

} // namespace gc::cli

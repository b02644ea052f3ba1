#pragma once
// Flag parsing for `gmail-capture sim` (kept apart from run_sim so tests can call it).
#include "core/result.hpp"
#include "sim/sim_server.hpp"

#include <string>
#include <vector>

namespace gc::sim {

struct sim_cli {
  sim_options opts;
  std::string log_level = "info";
  bool help = false;
};

extern const char* const sim_usage;

// `args` are the arguments after the command name. Error code "usage" names the flag.
gc::result<sim_cli> parse_sim_args(const std::vector<std::string>& args);

} // namespace gc::sim

#pragma once
// `gmail-capture sim`: parses the simulator's flags, builds a sim_server, prints exactly one
// ready line "gmail-capture sim listening on http(s)://127.0.0.1:PORT" to stdout once bound,
// and runs until SIGTERM/SIGINT. argv[0] is the command name; options start at argv[1].
// Returns 0 on a clean stop, 1 on a runtime failure, 2 on bad usage.
namespace gc::sim {

int run_sim(int argc, char** argv);

} // namespace gc::sim

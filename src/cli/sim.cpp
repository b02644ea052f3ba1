// `gmail-capture sim`: the Google simulator (src/sim), for the demo, tests and benchmarks.
#include "cli/commands.hpp"
#include "sim/sim_main.hpp"

namespace gc::cli {

int cmd_sim(const args& a) {
  std::vector<std::string> storage{"gmail-capture sim"};
  storage.insert(storage.end(), a.begin(), a.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return gc::sim::run_sim(static_cast<int>(storage.size()), argv.data());
}

} // namespace gc::cli

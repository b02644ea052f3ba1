#include "cli/commands.hpp"

#include <cstdio>

namespace gc::cli {

bool wants_help(const args& a, const char* text) {
  for (const auto& x : a)
    if (x == "-h" || x == "--help") {
      std::fputs(text, stdout);
      return true;
    }
  return false;
}

int cmd_version(const args& a) {
  if (wants_help(a, "usage: gmail-capture version\n\nPrints the version and exits.\n")) return 0;
  std::printf("gmail-capture %s\n", GC_VERSION);
  return 0;
}

} // namespace gc::cli

#include "support/test_support.hpp"

#include <atomic>
#include <random>
#include <unistd.h>

namespace gc::test {

temp_dir::temp_dir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    auto p = base / ("gc-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                     "-" + std::to_string(rd() % 100000));
    if (std::filesystem::create_directory(p)) {
      path_ = p;
      return;
    }
  }
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

} // namespace gc::test

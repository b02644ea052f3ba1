#include "store/read_connection.hpp"

#include <map>
#include <memory>

namespace gc::store {
namespace {

using per_path = std::map<std::string, std::unique_ptr<connection>>;

connection& open_once(per_path& conns, const std::string& path, bool mapped) {
  auto& c = conns[path];
  if (!c) {
    c = std::make_unique<connection>(path, open_mode::read_only);
    if (mapped) c->exec("PRAGMA mmap_size=" + std::to_string(api_mmap_bytes));
  }
  return *c;
}

} // namespace

connection& read_connection(const std::string& path) {
  thread_local per_path conns;
  return open_once(conns, path, false);
}

connection& api_read_connection(const std::string& path) {
  thread_local per_path conns;
  return open_once(conns, path, true);
}

} // namespace gc::store

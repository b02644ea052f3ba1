#include "store/read_connection.hpp"

#include <map>
#include <memory>

namespace gc::store {

connection& read_connection(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<connection>> conns;
  auto& c = conns[path];
  if (!c) c = std::make_unique<connection>(path, open_mode::read_only);
  return *c;
}

} // namespace gc::store

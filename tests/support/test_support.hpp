#pragma once
// Shared test helpers: temporary directories that clean up after themselves.
#include <filesystem>
#include <string>

namespace gc::test {

// A fresh directory under $TMPDIR, removed (recursively) when the object goes away.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

} // namespace gc::test

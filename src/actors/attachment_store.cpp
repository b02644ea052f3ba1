#include "actors/attachment_store.hpp"

#include "core/crypto.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace gc::actors {
namespace fs = std::filesystem;
namespace {

constexpr const char* dir_name = "email_attachments";
constexpr const char* temp_marker = ".tmp.";

// An open file descriptor, closed on scope exit.
class unique_fd {
public:
  explicit unique_fd(int fd = -1) : fd_{fd} {}
  ~unique_fd() { reset(); }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release_close() {  // close now; returns close()'s result
    int fd = fd_;
    fd_ = -1;
    return fd < 0 ? 0 : ::close(fd);
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_;
};

// A temp file that is unlinked unless committed (renamed into place).
struct temp_file {
  std::string path;
  bool keep = false;
  ~temp_file() {
    if (!path.empty() && !keep) ::unlink(path.c_str());
  }
};

gc::error io_error(const std::string& step, int err) {
  return gc::error{"io", "attachment store: " + step + ": " + std::strerror(err)};
}

gc::status fsync_dir(const std::string& dir) {
  unique_fd fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (!fd) return io_error("open directory " + dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("fsync directory " + dir, errno);
  return gc::ok_v;
}

// mkdir -p that fsyncs the parent of every directory it creates (the new entry is durable).
gc::status make_dirs(const fs::path& dir) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0750) != 0 && errno != EEXIST) return io_error("mkdir " + it->string(), errno);
    auto parent = it->parent_path();
    if (auto s = fsync_dir(parent.empty() ? "." : parent.string()); !s) return s;
  }
  return gc::ok_v;
}

gc::status write_all(int fd, std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return gc::ok_v;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

} // namespace

attachment_store::attachment_store(std::string data_dir) : data_dir_{std::move(data_dir)} {}

std::string attachment_store::relative_path(std::string_view sha) {
  return std::string{dir_name} + "/" + std::string{sha.substr(0, 2)} + "/" + std::string{sha};
}

std::string attachment_store::root() const { return (fs::path{data_dir_} / dir_name).string(); }

std::string attachment_store::absolute_path(std::string_view storage_path) const {
  return (fs::path{data_dir_} / fs::path{std::string{storage_path}}).string();
}

bool attachment_store::has(std::string_view storage_path, int64_t size) const {
  struct stat st{};
  if (::stat(absolute_path(storage_path).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return size < 0 || st.st_size == size;
}

gc::result<put_result> attachment_store::put(std::string_view bytes, std::string_view sha256_hex) const {
  put_result r;
  r.sha256 = sha256_hex.empty() ? core::sha256_hex(bytes) : std::string(sha256_hex);
  if (!is_hex64(r.sha256)) return gc::error{"io", "attachment store: unexpected hash"};
  r.storage_path = relative_path(r.sha256);
  r.size = static_cast<int64_t>(bytes.size());
  if (has(r.storage_path, r.size)) {
    r.existed = true;
    return r;
  }
  auto target = absolute_path(r.storage_path);
  auto dir = fs::path{target}.parent_path();
  if (auto s = make_dirs(dir); !s) return s.error();

  temp_file tmp;
  std::string templ = (dir / (r.sha256 + temp_marker + "XXXXXX")).string();
  unique_fd fd{::mkstemp(templ.data())};
  if (!fd) return io_error("create temp file in " + dir.string(), errno);
  tmp.path = templ;
  ::fchmod(fd.get(), 0640);
  if (auto s = write_all(fd.get(), bytes); !s) return s.error();
  if (::fsync(fd.get()) != 0) return io_error("fsync", errno);
  if (fd.release_close() != 0) return io_error("close", errno);

  // Another writer may have stored the same bytes meanwhile: keep theirs, drop ours.
  if (has(r.storage_path, r.size)) {
    r.existed = true;
    return r;
  }
  if (::rename(tmp.path.c_str(), target.c_str()) != 0) return io_error("rename into " + dir.string(), errno);
  tmp.keep = true;
  if (auto s = fsync_dir(dir.string()); !s) return s.error();
  return r;
}

int attachment_store::sweep_temp_files(std::chrono::seconds min_age) const {
  std::error_code ec;
  fs::path base{root()};
  if (!fs::is_directory(base, ec)) return 0;
  auto cutoff = fs::file_time_type::clock::now() - min_age;
  int removed = 0;
  for (auto it = fs::recursive_directory_iterator{base, ec}; !ec && it != fs::recursive_directory_iterator{};
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (it->path().filename().string().find(temp_marker) == std::string::npos) continue;
    auto t = fs::last_write_time(it->path(), ec);
    if (ec || t > cutoff) {
      ec.clear();
      continue;
    }
    if (fs::remove(it->path(), ec)) ++removed;
    ec.clear();
  }
  return removed;
}

} // namespace gc::actors

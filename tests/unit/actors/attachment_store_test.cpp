// The content-addressed attachment store on a real temp directory: layout, exact bytes,
// identical content stored once, no temp file left behind, a damaged target rewritten,
// crash leftovers swept, and I/O failures reported as errors.
#include "actors/attachment_store.hpp"
#include "core/crypto.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using gc::actors::attachment_store;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> files_under(const fs::path& root) {
  std::vector<std::string> out;
  if (!fs::exists(root)) return out;
  for (auto& e : fs::recursive_directory_iterator{root})
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).string());
  std::sort(out.begin(), out.end());
  return out;
}

ino_t inode_of(const std::string& path) {
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

} // namespace

TEST_CASE("put stores the bytes once under email_attachments/<2 hex>/<sha256>", "[actors][attachments][store]") {
  gc::test::temp_dir dir;
  attachment_store files{dir.file("data")};
  std::string bytes = "%PDF-1.4\n";
  bytes += std::string("\0\x01\xff binary", 10);
  const auto sha = gc::core::sha256_hex(bytes);

  auto r = files.put(bytes);
  REQUIRE(r.ok());
  CHECK(r->sha256 == sha);
  CHECK(r->storage_path == "email_attachments/" + sha.substr(0, 2) + "/" + sha);
  CHECK(r->size == static_cast<int64_t>(bytes.size()));
  CHECK_FALSE(r->existed);
  CHECK(files.absolute_path(r->storage_path) == dir.file("data/" + r->storage_path));
  CHECK(slurp(files.absolute_path(r->storage_path)) == bytes);
  CHECK(files.has(r->storage_path));
  CHECK(files.has(r->storage_path, r->size));
  CHECK_FALSE(files.has(r->storage_path, r->size + 1));
  CHECK_FALSE(files.has("email_attachments/00/missing"));

  // The same bytes again: nothing written, the same file (same inode), still one file.
  auto ino = inode_of(files.absolute_path(r->storage_path));
  auto again = files.put(bytes);
  REQUIRE(again.ok());
  CHECK(again->existed);
  CHECK(again->storage_path == r->storage_path);
  CHECK(inode_of(files.absolute_path(r->storage_path)) == ino);

  // Given the hash the caller already computed: the same file, found as stored.
  auto known = files.put(bytes, sha);
  REQUIRE(known.ok());
  CHECK(known->existed);
  CHECK(known->sha256 == sha);
  CHECK(known->storage_path == r->storage_path);

  // Other bytes: another file. No temp file is ever left behind.
  auto other = files.put("other bytes");
  REQUIRE(other.ok());
  CHECK_FALSE(other->existed);
  CHECK(other->sha256 == gc::core::sha256_hex("other bytes"));
  std::vector<std::string> want{sha.substr(0, 2) + "/" + sha,
                                other->sha256.substr(0, 2) + "/" + other->sha256};
  std::sort(want.begin(), want.end());
  CHECK(files_under(files.root()) == want);

  // An empty attachment is a file too.
  auto empty = files.put("");
  REQUIRE(empty.ok());
  CHECK(empty->size == 0);
  CHECK(slurp(files.absolute_path(empty->storage_path)).empty());
}

TEST_CASE("a damaged file under the hash's name is replaced atomically", "[actors][attachments][store]") {
  gc::test::temp_dir dir;
  attachment_store files{dir.file("data")};
  const std::string bytes(4096, 'x');
  const auto path = attachment_store::relative_path(gc::core::sha256_hex(bytes));
  fs::create_directories(fs::path{files.absolute_path(path)}.parent_path());
  { std::ofstream{files.absolute_path(path), std::ios::binary} << "trunc"; }  // e.g. copied in by hand, cut short
  auto old_ino = inode_of(files.absolute_path(path));

  auto r = files.put(bytes);
  REQUIRE(r.ok());
  CHECK_FALSE(r->existed);
  CHECK(slurp(files.absolute_path(path)) == bytes);
  CHECK(inode_of(files.absolute_path(path)) != old_ino);   // renamed over, not rewritten in place
  CHECK(files_under(files.root()).size() == 1);
}

TEST_CASE("temp files left by a crash are swept once they are old", "[actors][attachments][store]") {
  gc::test::temp_dir dir;
  attachment_store files{dir.file("data")};
  REQUIRE(files.put("keep me").ok());
  auto sub = fs::path{files.root()} / "ab";
  fs::create_directories(sub);
  auto stale = sub / (std::string(64, 'a') + ".tmp.Xy12Zq");
  auto fresh = sub / (std::string(64, 'b') + ".tmp.Qw34Er");
  { std::ofstream{stale} << "half"; }
  { std::ofstream{fresh} << "in progress"; }
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(3));

  CHECK(files.sweep_temp_files(std::chrono::hours(1)) == 1);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(fresh));
  CHECK(files.has(attachment_store::relative_path(gc::core::sha256_hex("keep me"))));
  CHECK(attachment_store{dir.file("nowhere")}.sweep_temp_files() == 0);
}

TEST_CASE("an unusable data directory is an io error, not a crash", "[actors][attachments][store]") {
  gc::test::temp_dir dir;
  { std::ofstream{dir.file("plainfile")} << "not a directory"; }
  attachment_store files{dir.file("plainfile")};
  auto r = files.put("bytes");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "io");
  CHECK(r.error().message.find("bytes") == std::string::npos);   // no content in the error
}

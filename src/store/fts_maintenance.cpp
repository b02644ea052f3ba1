#include "store/fts_maintenance.hpp"

#include "store/repo_util.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace gc::store {
namespace {

// An SQLite varint (1-9 bytes, big-endian groups of 7 bits, the 9th byte whole), as FTS5
// writes them. nullopt past the end of `b`.
std::optional<uint64_t> varint(const std::string& b, size_t& i) {
  uint64_t v = 0;
  for (int k = 0; k < 9; ++k) {
    if (i >= b.size()) return std::nullopt;
    const auto ch = static_cast<unsigned char>(b[i++]);
    if (k == 8) return (v << 8) | ch;
    v = (v << 7) | (ch & 0x7f);
    if (!(ch & 0x80)) return v;
  }
  return v;
}

} // namespace

result<int> fts_segments(connection& c) {
  return detail::guarded([&]() -> result<int> {
    // The structure record (FTS5's fts5_index.c): a 4-byte cookie, in newer versions the
    // 4-byte V2 marker ff 00 00 01, then varints: levels, segments, write counter, ...
    auto st = c.prepare("SELECT block FROM emails_fts_data WHERE id = 10");
    if (!st.step()) return 0;  // nothing was ever indexed
    const std::string b = st.text(0);
    size_t i = 4;
    if (b.size() >= 8 && b.compare(4, 4, std::string{"\xff\x00\x00\x01", 4}) == 0) i = 8;
    const auto levels = varint(b, i);
    const auto segments = varint(b, i);
    if (!levels || !segments || *segments > 100000)
      return error{"fts_structure", "the full-text index's structure record could not be decoded"};
    return static_cast<int>(*segments);
  });
}

status fts_merge_levels(connection& c, int pages) {
  return detail::guarded([&]() -> status {
    transaction tx{c};
    c.prepare("INSERT INTO emails_fts (emails_fts, rank) VALUES ('merge', ?1)").bind(1, int64_t{pages}).run();
    tx.commit();
    return ok_t{};
  });
}

status fts_optimize(connection& c) {
  return detail::guarded([&]() -> status {
    transaction tx{c};
    c.exec("INSERT INTO emails_fts (emails_fts) VALUES ('optimize')");
    tx.commit();
    return ok_t{};
  });
}

} // namespace gc::store

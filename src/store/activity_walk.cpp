#include "store/activity_walk.hpp"

#include <algorithm>

namespace gc::store::detail {
namespace {

// The ids of `sorted` (ascending, distinct) that match, in ascending order: one range query
// per run of ids whose gaps are at most `max_gap`.
std::vector<int64_t> matching(connection& c, const std::vector<int64_t>& sorted,
                              const std::string& match, int max_gap) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] - sorted[j] <= max_gap) ++j;
    auto st = c.prepare("SELECT rowid FROM emails_fts WHERE emails_fts MATCH ?1 AND rowid >= ?2 "
                        "AND rowid <= ?3 ORDER BY rowid");
    st.bind(1, match).bind(2, sorted[i]).bind(3, sorted[j]);
    for (size_t k = i; k <= j && st.step();) {  // merge the matches with the run
      const int64_t r = st.int64(0);
      while (k <= j && sorted[k] < r) ++k;
      if (k <= j && sorted[k] == r) out.push_back(r);
    }
    i = j + 1;
  }
  return out;
}

} // namespace

size_t next_chunk(size_t missing, double density, size_t previous, const walk_tuning& t) {
  const size_t cap = static_cast<size_t>(std::max(t.max_chunk, 1));
  double want = density > 0 ? static_cast<double>(missing) / density * 1.25
                            : 2.0 * static_cast<double>(std::max<size_t>(previous, missing));
  want = std::min(std::max(want, static_cast<double>(missing)), static_cast<double>(cap));
  return std::max<size_t>(static_cast<size_t>(want), 1);
}

std::vector<page_hit> walk_matches(connection& c, statement& candidates, const std::string& match,
                                   int want, const walk_tuning& t, double density_hint,
                                   walk_stats* stats) {
  std::vector<page_hit> out;
  if (want <= 0) return out;
  const size_t goal = static_cast<size_t>(want);
  walk_stats seen;
  size_t chunk = t.first_chunk > 0 ? static_cast<size_t>(t.first_chunk)
                                   : next_chunk(goal, density_hint, goal, t);
  std::vector<page_hit> buf;
  std::vector<int64_t> ids;
  bool more = true;
  while (more && out.size() < goal) {
    buf.clear();
    while (buf.size() < chunk && (more = candidates.step()))
      buf.push_back({candidates.int64(0), candidates.int64(1)});
    if (buf.empty()) break;
    ids.clear();
    for (const auto& h : buf) ids.push_back(h.id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const auto hits = matching(c, ids, match, t.max_gap);
    seen.scanned += buf.size();
    for (const auto& h : buf) {
      if (!std::binary_search(hits.begin(), hits.end(), h.id)) continue;
      ++seen.matched;
      if (out.size() < goal) out.push_back(h);
    }
    const double density = seen.matched ? static_cast<double>(seen.matched) / seen.scanned : 0;
    if (out.size() < goal) chunk = next_chunk(goal - out.size(), density, chunk, t);
  }
  if (stats) *stats = seen;
  return out;
}

} // namespace gc::store::detail

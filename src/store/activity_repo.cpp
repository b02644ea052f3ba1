#include "store/activity_repo.hpp"

#include "store/activity_walk.hpp"
#include "store/email_search_repo.hpp"
#include "store/repo_util.hpp"

#include <sqlite3.h>

#include <chrono>
#include <unordered_map>

namespace gc::store {
namespace {

// Parameters: ?1 sighting mark, ?2 link mark, ?3/?4 position, ?5 limit, ?6 investor,
// ?7 account, ?8 outbound (0/1), ?9 FTS query, ?10 since ms, ?11 until ms. Only the filters
// given appear in the SQL, so each combination is its own cached statement with a plan of its own.

// Every filter but the full-text one, over alias e, after "WHERE " or "AND ".
std::string filters_sql(const activity_filter& f, bool positioned) {
  const std::string ms = msg_ms_sql;
  std::string w = "EXISTS (SELECT 1 FROM email_account_messages s WHERE s.email_id = e.id AND "
                  "s.deleted_at IS NULL AND s.id <= ?1";
  if (f.account_id) w += " AND s.account_id = ?7";
  w += ")";
  if (f.investor_id)
    w += " AND e.id IN (SELECT l.email_id FROM email_investor_links l WHERE l.investor_id = ?6 "
         "AND l.id <= ?2)";
  if (f.direction) w.append(" AND ").append(outbound_sql).append(" = ?8");
  if (f.since_ms) w.append(" AND ").append(ms).append(" >= ?10");
  if (f.until_ms) w.append(" AND ").append(ms).append(" < ?11");
  if (positioned) w.append(" AND ").append(ms).append(" <= ?3 AND (").append(ms).append(" < ?3 OR e.id < ?4)");
  return w;
}

std::string newest_first() { return std::string{" ORDER BY "} + msg_ms_sql + " DESC, e.id DESC"; }

// The columns of an item over alias e, its sort time as column 9.
std::string item_columns() {
  std::string sql = "e.id, e.thread_id, coalesce(e.subject, ''), coalesce(e.snippet, ''), "
                    "coalesce(e.from_name, ''), coalesce(e.from_email, ''), e.to_json, e.cc_json, ";
  sql.append(msg_iso_sql).append(", ").append(msg_ms_sql).append(", ").append(outbound_sql);
  sql += ", e.has_body, (SELECT count(*) FROM email_attachments a WHERE a.email_id = e.id)";
  return sql;
}

// One page in one statement: the listing walks emails_msg_ms newest first; a (rare) search
// starts from its full-text matches and sorts them. The inner query finds the page (ids and
// sort keys only); the outer one reads the columns of those rows alone.
std::string page_sql(const activity_filter& f, bool positioned, bool search) {
  std::string inner = std::string{"SELECT e.id AS pid "};
  if (search)
    inner += "FROM emails_fts JOIN emails e ON e.id = emails_fts.rowid WHERE emails_fts MATCH ?9 AND ";
  else
    inner += "FROM emails e WHERE ";
  inner += filters_sql(f, positioned) + newest_first() + " LIMIT ?5";
  return "SELECT " + item_columns() + " FROM (" + inner + ") p JOIN emails e ON e.id = p.pid" +
         newest_first();
}

// A common search: the candidates (every other filter), newest first, for detail::walk_matches.
std::string walk_sql(const activity_filter& f, bool positioned) {
  return std::string{"SELECT e.id, "} + msg_ms_sql + " FROM emails e WHERE " +
         filters_sql(f, positioned) + newest_first();
}

std::string item_sql() { return "SELECT " + item_columns() + " FROM emails e WHERE e.id = ?1"; }

void bind_filters(statement& st, const activity_filter& f, const page_key& snap,
                  const std::optional<page_key>& from) {
  st.bind(1, snap.sighting_mark);
  if (from) st.bind(3, from->after_ms).bind(4, from->after_id);
  if (f.investor_id) st.bind(2, snap.link_mark).bind(6, *f.investor_id);
  if (f.account_id) st.bind(7, *f.account_id);
  if (f.direction) st.bind(8, *f.direction == "outbound" ? 1 : 0);
  if (f.since_ms) st.bind(10, *f.since_ms);
  if (f.until_ms) st.bind(11, *f.until_ms);
}

activity_item read_item(const statement& st) {
  activity_item it;
  it.id = st.int64(0);
  it.thread_id = st.opt_int64(1);
  it.subject = st.text(2);
  it.snippet = st.text(3);
  it.from = {st.text(4), st.text(5)};
  it.to = parse_parties(st.text(6));
  it.cc = parse_parties(st.text(7));
  it.date = st.opt_text(8);
  it.sort_ms = st.int64(9);
  it.direction = st.int64(10) != 0 ? "outbound" : "inbound";
  it.has_body = st.int64(11) != 0;
  it.attachment_count = st.int64(12);
  return it;
}

// The free text as an FTS5 expression over subject, body (the snippet while metadata-only)
// and sender: each word a quoted phrase, all words required (email_search_repo::fts_query).
std::string match_expr(const std::string& text) {
  auto q = fts_query(text);
  return q.empty() ? q : "{subject body from_addr} : (" + q + ")";
}

} // namespace

std::string activity_repo::walk_sql_for_test(const activity_filter& f, bool positioned) {
  return walk_sql(f, positioned);
}

namespace {

// A search's plan hints, remembered for a minute by each thread: whether it is common
// (counting up to common_matches_ matches is ~15% of a common search, and paging through one
// search asks again for every page), and the share of candidates that matched in its last walk
// under the same filters (sizes the walk's first chunk). Hints decide speed only: both plans,
// and any chunking, give the same pages, so a stale hint costs time, never a wrong page.
template <typename V>
class plan_memo {
public:
  std::optional<V> find(const std::string& key) {
    const auto it = map_.find(key);
    if (it == map_.end() || std::chrono::steady_clock::now() - it->second.second > keep) return {};
    return it->second.first;
  }
  void put(const std::string& key, V v) {
    if (map_.size() >= max_entries) map_.clear();
    map_[key] = {v, std::chrono::steady_clock::now()};
  }

private:
  static constexpr auto keep = std::chrono::minutes(1);
  static constexpr size_t max_entries = 512;
  std::unordered_map<std::string, std::pair<V, std::chrono::steady_clock::time_point>> map_;
};

std::string filters_key(const activity_filter& f) {
  auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string{"-"}; };
  return opt(f.investor_id) + ',' + opt(f.account_id) + ',' + f.direction.value_or("-") + ',' +
         opt(f.since_ms) + ',' + opt(f.until_ms);
}

} // namespace

bool activity_repo::is_common(const std::string& match) {
  thread_local plan_memo<bool> memo;
  const std::string key = c_.path() + '\n' + std::to_string(common_matches_) + '\n' + match;
  if (auto known = memo.find(key)) return *known;
  auto st = c_.prepare("SELECT count(*) FROM (SELECT rowid FROM emails_fts WHERE emails_fts MATCH ?1 LIMIT ?2)");
  st.bind(1, match).bind(2, common_matches_);
  const bool common = st.step() && st.int64(0) >= common_matches_;
  memo.put(key, common);
  return common;
}

std::vector<activity_item> activity_repo::walk_page(const activity_filter& f, const std::string& match,
                                                    int want, const page_key& snap,
                                                    const std::optional<page_key>& from) {
  thread_local plan_memo<double> density;
  const std::string key = c_.path() + '\n' + filters_key(f) + '\n' + match;
  auto cand = c_.prepare(walk_sql(f, from.has_value()));
  bind_filters(cand, f, snap, from);
  detail::walk_stats seen;
  const auto hits = detail::walk_matches(c_, cand, match, want, walk_, density.find(key).value_or(0), &seen);
  if (seen.scanned > 0) density.put(key, static_cast<double>(seen.matched) / seen.scanned);
  std::vector<activity_item> out;
  out.reserve(hits.size());
  static const std::string by_id = item_sql();
  for (const auto& h : hits) {
    auto st = c_.prepare(by_id);
    if (st.bind(1, h.id).step()) out.push_back(read_item(st));  // emails rows are never deleted
  }
  return out;
}

result<page<activity_item>> activity_repo::list(const activity_filter& f, int limit,
                                                const std::optional<page_key>& from) {
  std::string match;
  if (!f.query.empty()) {
    match = match_expr(f.query);
    if (match.empty()) return error{"bad_query", "the query has no word to search for"};
  }
  try {
    detail::read_snapshot tx{c_};  // one snapshot, and one lock, for all the statements below
    const page_key snap = from ? *from : detail::snapshot(c_);
    page<activity_item> out;
    if (!match.empty() && is_common(match)) {
      out.items = walk_page(f, match, limit + 1, snap, from);
    } else {
      auto st = c_.prepare(page_sql(f, from.has_value(), !match.empty()));
      bind_filters(st, f, snap, from);
      st.bind(5, limit + 1);
      if (!match.empty()) st.bind(9, match);
      while (st.step()) out.items.push_back(read_item(st));
    }
    if (static_cast<int>(out.items.size()) > limit) {
      out.items.pop_back();
      const auto& last = out.items.back();
      out.next = page_key{snap.sighting_mark, snap.link_mark, last.sort_ms, last.id};
    }
    for (auto& it : out.items) {
      it.mailboxes = detail::live_mailboxes(c_, it.id);
      it.investors = detail::investor_links(c_, it.id);
    }
    return out;
  } catch (const db_error& e) {
    // A MATCH the FTS5 parser refuses is the caller's input, not a server fault. fts_query
    // should make this impossible; the guard keeps it a 400 if it ever is not.
    if (!match.empty() && (e.code() & 0xff) == SQLITE_ERROR)
      return error{"bad_query", "the search query could not be parsed"};
    return error{"sqlite", e.what()};
  }
}

result<std::vector<dropdown_investor>> activity_repo::investors() {
  return detail::guarded([&]() -> result<std::vector<dropdown_investor>> {
    auto st = c_.prepare(
        "SELECT i.id, i.name, EXISTS (SELECT 1 FROM email_investor_links l JOIN "
        "email_account_messages s ON s.email_id = l.email_id AND s.deleted_at IS NULL WHERE "
        "l.investor_id = i.id) FROM investors i WHERE coalesce(i.graveyard, 0) = 0 "
        "ORDER BY i.name COLLATE NOCASE, i.id");
    std::vector<dropdown_investor> out;
    while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2) != 0});
    return out;
  });
}

} // namespace gc::store

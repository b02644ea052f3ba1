#include "store/activity_repo.hpp"

#include "store/email_search_repo.hpp"
#include "store/repo_util.hpp"

#include <sqlite3.h>

namespace gc::store {
namespace {

// Parameters: ?1 sighting mark, ?2 link mark, ?3/?4 position, ?5 limit, ?6 investor,
// ?7 account, ?8 outbound (0/1), ?9 FTS query, ?10 since ms, ?11 until ms. Only the filters
// given appear in the SQL, so each combination is its own cached statement with a plan of its own.
// `walk_time`: a common search term walks emails_msg_ms newest first and tests membership in
// the matches (stops after one page); a rare one starts from the matches and sorts them.
std::string list_sql(const activity_filter& f, bool positioned, bool walk_time) {
  // The inner query finds the page (ids and sort keys only); the outer one reads the columns
  // of those rows alone, so a common search term does not cost a full row per match.
  const std::string ms = msg_ms_sql;
  std::string inner = "SELECT e.id AS pid, " + ms + " AS pms ";
  if (!f.query.empty() && walk_time)
    inner += "FROM emails e INDEXED BY emails_msg_ms WHERE e.id IN (SELECT rowid FROM emails_fts "
             "WHERE emails_fts MATCH ?9) AND ";
  else if (!f.query.empty())
    inner += "FROM emails_fts JOIN emails e ON e.id = emails_fts.rowid WHERE emails_fts MATCH ?9 AND ";
  else
    inner += "FROM emails e WHERE ";
  inner += "EXISTS (SELECT 1 FROM email_account_messages s WHERE s.email_id = e.id AND "
           "s.deleted_at IS NULL AND s.id <= ?1";
  if (f.account_id) inner += " AND s.account_id = ?7";
  inner += ")";
  if (f.investor_id)
    inner += " AND e.id IN (SELECT l.email_id FROM email_investor_links l WHERE l.investor_id = ?6 "
             "AND l.id <= ?2)";
  if (f.direction) inner.append(" AND ").append(outbound_sql).append(" = ?8");
  if (f.since_ms) inner.append(" AND ").append(ms).append(" >= ?10");
  if (f.until_ms) inner.append(" AND ").append(ms).append(" < ?11");
  if (positioned) inner.append(" AND ").append(ms).append(" <= ?3 AND (").append(ms).append(" < ?3 OR e.id < ?4)");
  inner.append(" ORDER BY ").append(ms).append(" DESC, e.id DESC LIMIT ?5");

  std::string sql = "SELECT e.id, e.thread_id, coalesce(e.subject, ''), coalesce(e.snippet, ''), "
                    "coalesce(e.from_name, ''), coalesce(e.from_email, ''), e.to_json, e.cc_json, ";
  sql.append(msg_iso_sql).append(", p.pms, ").append(outbound_sql);
  sql += ", e.has_body, (SELECT count(*) FROM email_attachments a WHERE a.email_id = e.id) FROM (";
  sql += inner;
  sql += ") p JOIN emails e ON e.id = p.pid ORDER BY p.pms DESC, p.pid DESC";
  return sql;
}

// The free text as an FTS5 expression over subject, body (the snippet while metadata-only)
// and sender: each word a quoted phrase, all words required (email_search_repo::fts_query).
std::string match_expr(const std::string& text) {
  auto q = fts_query(text);
  return q.empty() ? q : "{subject body from_addr} : (" + q + ")";
}

} // namespace

bool activity_repo::is_common(const std::string& match) {
  auto st = c_.prepare("SELECT count(*) FROM (SELECT rowid FROM emails_fts WHERE emails_fts MATCH ?1 LIMIT ?2)");
  st.bind(1, match).bind(2, common_matches_);
  return st.step() && st.int64(0) >= common_matches_;
}

result<page<activity_item>> activity_repo::list(const activity_filter& f, int limit,
                                                const std::optional<page_key>& from) {
  std::string match;
  if (!f.query.empty()) {
    match = match_expr(f.query);
    if (match.empty()) return error{"bad_query", "the query has no word to search for"};
  }
  try {
    const page_key snap = from ? *from : detail::snapshot(c_);
    const bool walk_time = !match.empty() && is_common(match);
    auto st = c_.prepare(list_sql(f, from.has_value(), walk_time));
    st.bind(1, snap.sighting_mark).bind(5, limit + 1);
    if (from) st.bind(3, from->after_ms).bind(4, from->after_id);
    if (f.investor_id) st.bind(2, snap.link_mark).bind(6, *f.investor_id);
    if (f.account_id) st.bind(7, *f.account_id);
    if (f.direction) st.bind(8, *f.direction == "outbound" ? 1 : 0);
    if (!match.empty()) st.bind(9, match);
    if (f.since_ms) st.bind(10, *f.since_ms);
    if (f.until_ms) st.bind(11, *f.until_ms);
    page<activity_item> out;
    while (st.step()) {
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
      out.items.push_back(std::move(it));
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

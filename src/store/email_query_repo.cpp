#include "store/email_query_repo.hpp"

#include "core/json.hpp"
#include "store/repo_util.hpp"

#include <algorithm>

namespace gc::store {
namespace {

using namespace std::string_literals;

// Email `alias` is live now.
std::string live_now(const char* alias) {
  return "EXISTS (SELECT 1 FROM email_account_messages s WHERE s.email_id = "s + alias +
         ".id AND s.deleted_at IS NULL)";
}

// Thread `thread_expr` is shown: it has a live email linked to an investor.
std::string thread_shown(const std::string& thread_expr) {
  return "EXISTS (SELECT 1 FROM emails le JOIN email_investor_links ll ON ll.email_id = le.id "
         "WHERE le.thread_id = " + thread_expr + " AND " + live_now("le") + ")";
}

// The columns of one listed thread, read by read_summary: ?-free tail shared by both reads.
const std::string summary_columns =
    "coalesce(t.subject, ''), r.n, r.last_ms, r.last_eid, coalesce(e.from_name, ''), "
    "coalesce(e.from_email, ''), coalesce(e.snippet, ''), "s + msg_iso_sql;

// Parameters of both reads: ?1 investor, ?2 sighting mark, ?3 link mark, ?4/?5 position,
// ?6 limit, ?7 JSON array of the unsettled thread ids (see unsettled_threads).
std::string position_sql(bool positioned) {
  return positioned ? " AND r.last_ms <= ?4 AND (r.last_ms < ?4 OR r.tid < ?5)" : "";
}

// The maintained summaries (store/thread_summaries.hpp) of the settled threads: a range of
// the eit_order index, one page long.
std::string summary_sql(bool positioned) {
  return "SELECT r.tid, " + summary_columns +
         " FROM (SELECT thread_id AS tid, message_count AS n, last_ms, last_email_id AS last_eid "
         "FROM email_investor_threads WHERE investor_id = ?1 AND max_sighting_id <= ?2 AND "
         "max_link_id <= ?3 AND thread_id NOT IN (SELECT value FROM json_each(?7))) r "
         "JOIN email_threads t ON t.id = r.tid JOIN emails e ON e.id = r.last_eid WHERE 1" +
         position_sql(positioned) + " ORDER BY r.last_ms DESC, r.tid DESC LIMIT ?6";
}

// The same rows aggregated from the base tables as of the snapshot: only sightings and links up
// to the marks count. `only_unsettled` restricts it to the threads of ?7; otherwise it reads
// every linked thread of the investor (when too many are unsettled to list).
std::string aggregate_sql(bool only_unsettled, bool positioned) {
  const std::string live_upto_mark =
      "EXISTS (SELECT 1 FROM email_account_messages s WHERE s.email_id = e.id AND "
      "s.deleted_at IS NULL AND s.id <= ?2)";
  std::string linked =
      only_unsettled
          ? "SELECT DISTINCT e.thread_id AS tid FROM json_each(?7) c JOIN emails e ON e.thread_id "
            "= c.value JOIN email_investor_links l ON l.email_id = e.id WHERE l.investor_id = ?1 "
            "AND l.id <= ?3 AND " + live_upto_mark
          : "SELECT DISTINCT e.thread_id AS tid FROM email_investor_links l JOIN emails e ON e.id "
            "= l.email_id WHERE l.investor_id = ?1 AND l.id <= ?3 AND e.thread_id IS NOT NULL AND " +
            live_upto_mark;
  return "WITH linked AS (" + linked + "), "
         "live AS (SELECT e.thread_id AS tid, e.id AS eid, " + msg_ms_sql + " AS ms FROM emails e "
         "JOIN linked ON e.thread_id = linked.tid WHERE " + live_upto_mark + "), "
         "r AS (SELECT tid, ms AS last_ms, eid AS last_eid, n FROM (SELECT tid, eid, ms, count(*) "
         "OVER (PARTITION BY tid) AS n, row_number() OVER (PARTITION BY tid ORDER BY ms DESC, eid "
         "DESC) AS rn FROM live) WHERE rn = 1) "
         "SELECT r.tid, " + summary_columns +
         " FROM r JOIN email_threads t ON t.id = r.tid JOIN emails e ON e.id = r.last_eid WHERE 1" +
         position_sql(positioned) + " ORDER BY r.last_ms DESC, r.tid DESC LIMIT ?6";
}

// Threads whose summary may not describe the snapshot: rows that count a sighting or link newer
// than the marks, and threads whose summary is being rebuilt (email_threads_dirty). A new
// listing takes its marks now, inside the same read transaction: no row can be newer.
std::vector<int64_t> unsettled_threads(connection& c, int64_t investor_id, const page_key& snap,
                                       bool new_listing, int max_unsettled) {
  auto st = c.prepare(
      new_listing
          ? "SELECT thread_id FROM email_threads_dirty LIMIT ?4"
          : "SELECT thread_id FROM email_investor_threads WHERE investor_id = ?1 AND (max_sighting_id "
            "> ?2 OR max_link_id > ?3) UNION SELECT thread_id FROM email_threads_dirty LIMIT ?4");
  if (!new_listing) st.bind(1, investor_id).bind(2, snap.sighting_mark).bind(3, snap.link_mark);
  st.bind(4, max_unsettled + 1);  // one more than the limit tells "too many"
  std::vector<int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  return out;
}

// Appends the rows of a read built by summary_sql or aggregate_sql.
void read_summaries(statement& st, std::vector<thread_summary>& out) {
  while (st.step()) {
    thread_summary t;
    t.id = st.int64(0);
    t.subject = st.text(1);
    t.message_count = st.int64(2);
    t.last_ms = st.int64(3);
    t.last_email_id = st.int64(4);
    t.last_from = {st.text(5), st.text(6)};
    t.snippet = st.text(7);
    t.last_message_at = st.text(8);
    out.push_back(std::move(t));
  }
}

const std::string messages_sql =
    "SELECT e.id, e.message_id, coalesce(e.subject, ''), coalesce(e.from_name, ''), "
    "coalesce(e.from_email, ''), e.to_json, e.cc_json, "s + msg_iso_sql + ", " + outbound_sql +
    ", coalesce(e.snippet, ''), e.body_text, coalesce(length(e.body_html), 0) > 0 FROM emails e "
    "WHERE e.thread_id = ?1 AND " + live_now("e") + " ORDER BY " + msg_ms_sql + ", e.id";

thread_message read_message(connection& c, statement& st) {
  thread_message m;
  m.id = st.int64(0);
  m.message_id = st.opt_text(1);
  m.subject = st.text(2);
  m.from = {st.text(3), st.text(4)};
  m.to = parse_parties(st.text(5));
  m.cc = parse_parties(st.text(6));
  m.date = st.opt_text(7);
  m.direction = st.int64(8) != 0 ? "outbound" : "inbound";
  m.snippet = st.text(9);
  m.body_text = st.opt_text(10);
  m.has_html = st.int64(11) != 0;
  m.mailboxes = detail::live_mailboxes(c, m.id);
  m.investors = detail::investor_links(c, m.id);
  m.attachments = detail::attachments_of(c, m.id);
  return m;
}

} // namespace

result<page<thread_summary>> email_query_repo::investor_threads(int64_t investor_id, int limit,
                                                                 const std::optional<page_key>& from) {
  return detail::guarded([&]() -> result<page<thread_summary>> {
    detail::read_snapshot tx{c_};
    const page_key snap = from ? *from : detail::snapshot(c_);
    const auto unsettled = unsettled_threads(c_, investor_id, snap, !from, max_unsettled_);
    const bool too_many = static_cast<int>(unsettled.size()) > max_unsettled_;
    auto run = [&](const std::string& sql, std::vector<thread_summary>& out) {
      auto st = c_.prepare(sql);
      st.bind(1, investor_id).bind(2, snap.sighting_mark).bind(3, snap.link_mark);
      if (from) st.bind(4, from->after_ms).bind(5, from->after_id);
      st.bind(6, limit + 1);
      if (!too_many) st.bind(7, json(unsettled).dump());
      read_summaries(st, out);
    };
    page<thread_summary> out;
    if (too_many) {
      run(aggregate_sql(false, from.has_value()), out.items);
    } else {
      run(summary_sql(from.has_value()), out.items);
      if (!unsettled.empty()) run(aggregate_sql(true, from.has_value()), out.items);
      std::sort(out.items.begin(), out.items.end(), [](const auto& a, const auto& b) {
        return a.last_ms != b.last_ms ? a.last_ms > b.last_ms : a.id > b.id;
      });
      if (static_cast<int>(out.items.size()) > limit + 1) out.items.resize(limit + 1);
    }
    if (static_cast<int>(out.items.size()) > limit) {
      out.items.pop_back();
      const auto& last = out.items.back();
      out.next = page_key{snap.sighting_mark, snap.link_mark, last.last_ms, last.id};
    }
    return out;
  });
}

result<bool> email_query_repo::investor_exists(int64_t investor_id) {
  return detail::guarded([&]() -> result<bool> {
    auto st = c_.prepare("SELECT EXISTS (SELECT 1 FROM investors WHERE id = ?1)");
    st.bind(1, investor_id);
    return st.step() && st.int64(0) != 0;
  });
}

result<std::optional<thread_detail>> email_query_repo::thread(int64_t thread_id) {
  return detail::guarded([&]() -> result<std::optional<thread_detail>> {
    auto head = c_.prepare("SELECT t.id, coalesce(t.subject, '') FROM email_threads t WHERE t.id = ?1 AND " +
                           thread_shown("t.id"));
    head.bind(1, thread_id);
    if (!head.step()) return std::optional<thread_detail>{};
    thread_detail d{head.int64(0), head.text(1), {}};
    auto st = c_.prepare(messages_sql);
    st.bind(1, thread_id);
    while (st.step()) d.messages.push_back(read_message(c_, st));
    return std::optional<thread_detail>{std::move(d)};
  });
}

result<std::optional<html_body>> email_query_repo::message_html(int64_t email_id) {
  return detail::guarded([&]() -> result<std::optional<html_body>> {
    auto st = c_.prepare("SELECT coalesce(e.body_html, '') FROM emails e WHERE e.id = ?1 AND " +
                         live_now("e") + " AND " + thread_shown("e.thread_id"));
    st.bind(1, email_id);
    if (!st.step()) return std::optional<html_body>{};
    html_body b{st.text(0), {}};
    if (!b.html.empty()) b.parts = detail::attachments_of(c_, email_id);
    return std::optional<html_body>{std::move(b)};
  });
}

result<std::optional<attachment_file>> email_query_repo::attachment(int64_t attachment_id) {
  return detail::guarded([&]() -> result<std::optional<attachment_file>> {
    auto st = c_.prepare(
        "SELECT a.id, coalesce(a.filename, ''), coalesce(a.mime_type, ''), coalesce(a.size, 0), "
        "coalesce(a.content_id, ''), a.status, coalesce(a.storage_path, '') FROM "
        "email_attachments a JOIN emails e ON e.id = a.email_id WHERE a.id = ?1 AND " +
        live_now("e") + " AND " + thread_shown("e.thread_id"));
    st.bind(1, attachment_id);
    if (!st.step()) return std::optional<attachment_file>{};
    attachment_file f;
    f.meta = {st.int64(0), st.text(1), st.text(2), st.int64(3), st.text(4), false, st.text(5)};
    f.meta.downloaded = f.meta.status == "stored";
    f.storage_path = f.meta.downloaded ? st.text(6) : std::string{};
    return std::optional<attachment_file>{std::move(f)};
  });
}

} // namespace gc::store

#include "store/thread_summaries.hpp"

#include "store/read_page.hpp"
#include "store/repo_util.hpp"

#include <string>

namespace gc::store {
namespace {

using namespace std::string_literals;

// The live emails of the dirty threads; per thread the latest (highest id on a tie) with the
// count; per (thread, investor) the highest link id. Same definitions as the aggregate of
// email_query_repo, which reads these rows.
// CROSS JOIN keeps the dirty list as the outer loop: with a plain JOIN (and no ANALYZE
// statistics) SQLite scans all of emails and looks each row up in the dirty list, so every
// commit read the whole table and ingest slowed as the mailbox grew.
const std::string rebuild_sql =
    "WITH live AS (SELECT e.id AS eid, e.thread_id AS tid, "s + msg_ms_sql + " AS ms FROM "
    "email_threads_dirty d CROSS JOIN emails e ON e.thread_id = d.thread_id WHERE EXISTS (SELECT 1 "
    "FROM email_account_messages s WHERE s.email_id = e.id AND s.deleted_at IS NULL)), "
    "top AS (SELECT tid, eid, ms, n FROM (SELECT tid, eid, ms, count(*) OVER (PARTITION BY tid) "
    "AS n, row_number() OVER (PARTITION BY tid ORDER BY ms DESC, eid DESC) AS rn FROM live) "
    "WHERE rn = 1), "
    "inv AS (SELECT v.tid, l.investor_id, max(l.id) AS max_link_id FROM live v JOIN "
    "email_investor_links l ON l.email_id = v.eid GROUP BY v.tid, l.investor_id) "
    "INSERT INTO email_investor_threads (investor_id, thread_id, last_ms, last_email_id, "
    "message_count, max_sighting_id, max_link_id) "
    "SELECT inv.investor_id, top.tid, top.ms, top.eid, top.n, (SELECT coalesce(max(s.id), 0) "
    "FROM emails e JOIN email_account_messages s ON s.email_id = e.id WHERE e.thread_id = "
    "top.tid), inv.max_link_id FROM inv JOIN top ON top.tid = inv.tid";

} // namespace

result<int64_t> refresh_thread_summaries(connection& c) {
  return detail::guarded([&]() -> result<int64_t> {
    int64_t n = 0;
    {
      auto count = c.prepare("SELECT count(*) FROM email_threads_dirty");
      if (count.step()) n = count.int64(0);
    }
    if (n == 0) return int64_t{0};
    savepoint sp{c, "thread_summaries"};
    c.prepare("DELETE FROM email_investor_threads WHERE thread_id IN (SELECT thread_id FROM "
              "email_threads_dirty)")
        .run();
    c.prepare(rebuild_sql).run();
    c.prepare("DELETE FROM email_threads_dirty").run();
    sp.release();
    return n;
  });
}

result<bool> thread_summaries_stale(connection& c) {
  return detail::guarded([&]() -> result<bool> {
    auto st = c.prepare("SELECT EXISTS (SELECT 1 FROM email_threads_dirty)");
    return st.step() && st.int64(0) != 0;
  });
}

} // namespace gc::store

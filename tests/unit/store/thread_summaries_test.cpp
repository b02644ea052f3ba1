// GET /api/email/threads reads maintained summaries (store/thread_summaries.hpp) and aggregates
// from the base tables only the threads whose summary may not describe the listing's snapshot.
// Whichever way a page is read, it must be the same page.
#include "email_test_fixture.hpp"
#include "store/crm_repo.hpp"
#include "store/email_query_repo.hpp"
#include "store/thread_summaries.hpp"

#include <map>
#include <set>

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::seen;

namespace {

struct listed {
  int64_t id, count, last_email, last_ms;
  bool operator==(const listed& o) const {
    return id == o.id && count == o.count && last_email == o.last_email && last_ms == o.last_ms;
  }
};

std::ostream& operator<<(std::ostream& os, const listed& t) {
  return os << "{thread " << t.id << ", " << t.count << " msgs, last " << t.last_email << " @" << t.last_ms << "}";
}

using pages = std::vector<std::vector<listed>>;

// Every page of an investor's listing, `limit` threads a page.
pages all_pages(gc::store::connection& db, int max_unsettled, int64_t investor, int limit) {
  gc::store::email_query_repo q{db, max_unsettled};
  pages out;
  std::optional<gc::store::page_key> at;
  for (int guard = 0; guard < 200; ++guard) {
    auto p = q.investor_threads(investor, limit, at);
    REQUIRE(p.ok());
    out.emplace_back();
    for (const auto& t : p->items) out.back().push_back({t.id, t.message_count, t.last_email_id, t.last_ms});
    if (!p->next) break;
    at = p->next;
  }
  return out;
}

int64_t dirty(gc::store::connection& db) { return gc::test::scalar(db, "SELECT count(*) FROM email_threads_dirty"); }

void refresh(gc::store::connection& db) {
  REQUIRE(gc::store::refresh_thread_summaries(db).ok());
  REQUIRE(dirty(db) == 0);
}

void mark_all_dirty(gc::store::connection& db) {
  db.exec("INSERT OR IGNORE INTO email_threads_dirty (thread_id) SELECT id FROM email_threads");
}

gc::store::link_rec link_to(int64_t investor, const std::string& address) {
  return {investor, std::nullopt, "exact", address};
}

} // namespace

TEST_CASE_METHOD(email_db, "thread listing: summaries, partial and full aggregation give the same pages",
                 "[store][threads]") {
  db.exec("INSERT INTO investors (id, name, email) VALUES (11, 'Birch Ventures', 'ir@birch.vc'), "
          "(12, 'Cedar LP', 'cedar@cedar.example')");
  auto r = repo();
  // 30 gmail threads of 1-4 messages; times shuffled with ties; links to one or two investors;
  // some messages unmatched inside matched threads.
  for (int i = 0; i < 90; ++i) {
    const int t = (i * 7) % 30;
    auto e = inbound_email("m" + std::to_string(i) + "@acme.com", "Thread " + std::to_string(t));
    e.internal_date_ms = 1727776800000 + static_cast<int64_t>((i * 7919) % 37) * 60000;
    if (i % 11 == 0) e.internal_date_ms = 1727776800000;
    if (i % 3 != 2) e.links.push_back(link_to(10 + t % 3, "lee@acme.com"));
    if (i % 10 == 4) e.links.push_back(link_to(10 + (t + 1) % 3, "ir@birch.vc"));
    auto acct = i % 4 == 0 ? bob : alice;
    REQUIRE(r.store_message(e, seen(acct, "g" + std::to_string(i), "t" + std::to_string(t))).ok());
    if (i % 9 == 0)  // the same message in the other mailbox too
      REQUIRE(r.store_message(e, seen(acct == bob ? alice : bob, "h" + std::to_string(i), "u" + std::to_string(t))).ok());
  }
  REQUIRE(dirty(db) > 0);  // the triggers listed the threads the writes touched
  // Deletes: a message gone from its only mailbox, one trashed in one of its two mailboxes
  // (still live), a thread whose every message is deleted, and one restored from the trash.
  REQUIRE(*r.mark_deleted(alice, "g1", "deleted"));
  REQUIRE(*r.mark_deleted(bob, "g0", "trash"));
  for (int i = 3; i < 90; i += 30) REQUIRE(*r.mark_deleted(alice, "g" + std::to_string(i), "deleted"));
  REQUIRE(*r.mark_deleted(bob, "h63", "deleted"));
  REQUIRE(*r.mark_deleted(alice, "g2", "trash"));
  REQUIRE(*r.apply_labels(alice, "g2", {"INBOX"}, {"TRASH"}));
  // A late link (a rematch) into a thread that had none for investor 12.
  gc::store::crm_repo crm{db};
  REQUIRE(crm.apply_links(*r.email_id_for(alice, "g5").value(), {link_to(12, "cedar@cedar.example")}).ok());
  refresh(db);
  REQUIRE(count("email_investor_threads") > 30);  // the summaries exist: the first plan reads them

  for (int64_t investor : {10, 11, 12, 13}) {
    for (int limit : {1, 4, 50}) {
      INFO("investor " << investor << ", limit " << limit);
      const auto summaries = all_pages(db, 200, investor, limit);
      mark_all_dirty(db);
      const auto partial = all_pages(db, 200, investor, limit);  // every thread aggregated alone
      const auto full = all_pages(db, 0, investor, limit);       // the whole listing aggregated
      refresh(db);
      CHECK(summaries == partial);
      CHECK(summaries == full);
      if (investor == 13) CHECK(summaries == pages{{}});  // no such investor: no threads
    }
  }

  // A check against the data, not only between the plans: the thread of messages 3, 33 and 63
  // (gmail thread t21) lost every copy of every message, so no investor lists it.
  const auto acme_all = all_pages(db, 200, 10, 100).front();
  const auto thread_of = [&](const char* gid) {
    return gc::test::scalar(db, std::string{"SELECT e.thread_id FROM emails e JOIN email_account_messages s ON "
                                            "s.email_id = e.id WHERE s.gmail_message_id = '"} + gid + "'");
  };
  std::set<int64_t> acme_threads;
  for (const auto& t : acme_all) acme_threads.insert(t.id);
  CHECK(acme_threads.count(thread_of("g3")) == 0);
  for (int64_t investor : {10, 11, 12})
    for (const auto& page : all_pages(db, 200, investor, 100))
      for (const auto& t : page) CHECK(t.id != thread_of("g3"));
}

TEST_CASE_METHOD(email_db, "thread listing: pages stay stable while mail arrives between them", "[store][threads]") {
  auto r = repo();
  auto store = [&](int i, int t, int64_t minute, bool linked) {
    auto e = inbound_email("s" + std::to_string(i) + "@acme.com", "Topic " + std::to_string(t));
    e.internal_date_ms = 1727776800000 + minute * 60000;
    if (linked) e.links.push_back(link_to(acme, "lee@acme.com"));
    REQUIRE(r.store_message(e, seen(alice, "g" + std::to_string(i), "t" + std::to_string(t))).ok());
  };
  for (int t = 0; t < 12; ++t) store(t, t, t, true);  // thread t's only message at minute t
  refresh(db);

  for (int max_unsettled : {200, 0}) {
    INFO("max_unsettled " << max_unsettled);
    gc::store::email_query_repo q{db, max_unsettled};
    auto first = q.investor_threads(acme, 4, std::nullopt);
    REQUIRE(first.ok());
    REQUIRE(first->items.size() == 4);  // minutes 11..8
    REQUIRE(first->next);
    // Between pages: thread 2 (not yet listed) gets a newer reply, unmatched; a new linked
    // thread starts; thread 9 (listed) gets a reply; thread 5's only message is deleted.
    const int base = 100 * (max_unsettled + 1);
    store(base + 1, 2, 50, false);
    store(base + 2, 40 + max_unsettled, 51, true);
    store(base + 3, 9, 52, true);
    REQUIRE(*r.mark_deleted(alice, "g5", "deleted"));
    refresh(db);

    std::vector<int64_t> ids;
    std::map<int64_t, int64_t> counts;
    for (const auto& t : first->items) ids.push_back(t.id);
    auto at = first->next;
    while (at) {
      auto p = q.investor_threads(acme, 4, at);
      REQUIRE(p.ok());
      for (const auto& t : p->items) {
        ids.push_back(t.id);
        counts[t.id] = t.message_count;
      }
      at = p->next;
    }
    // Every thread that existed when paging began, once, in snapshot order; thread 5 deleted
    // meanwhile (deletes apply); the new thread and the replies are not part of this listing.
    std::vector<int64_t> expected;
    for (int t = 11; t >= 0; --t)
      if (t != 5) expected.push_back(gc::test::scalar(db, "SELECT e.thread_id FROM emails e WHERE e.dedup_key = 's" + std::to_string(t) + "@acme.com'"));
    CHECK(ids == expected);
    CHECK(counts.at(expected[8]) == 1);  // thread 2 as of the snapshot: its reply is newer

    // A new listing sees the new mail, newest first.
    auto fresh = q.investor_threads(acme, 3, std::nullopt);
    REQUIRE(fresh.ok());
    REQUIRE(fresh->items.size() == 3);
    CHECK(fresh->items[0].last_ms == 1727776800000 + 52 * 60000);
    CHECK(fresh->items[0].message_count == 2);
    CHECK(fresh->items[1].last_ms == 1727776800000 + 51 * 60000);
    CHECK(fresh->items[2].last_ms == 1727776800000 + 50 * 60000);
    CHECK(fresh->items[2].message_count == 2);  // thread 2 with its unmatched reply
    // Clean up for the next round: the replies' threads are older again only in a new setup,
    // so the second round checks the same order with its own new mail on top.
    db.exec("DELETE FROM email_account_messages WHERE gmail_message_id IN ('g" + std::to_string(base + 1) +
            "', 'g" + std::to_string(base + 2) + "', 'g" + std::to_string(base + 3) + "')");
    db.exec("UPDATE email_account_messages SET deleted_at = NULL, deleted_reason = NULL WHERE gmail_message_id = 'g5'");
    refresh(db);
  }
}

TEST_CASE_METHOD(email_db, "thread summaries: a thread merge and a restore rebuild the rows", "[store][threads]") {
  auto r = repo();
  auto a = inbound_email("a@acme.com", "Deck");
  a.links.push_back(link_to(acme, "lee@acme.com"));
  REQUIRE(r.store_message(a, seen(alice, "ga", "ta")).ok());
  auto b = inbound_email("b@acme.com", "Re: Deck");
  b.internal_date_ms += 60000;
  b.links.push_back(link_to(acme, "lee@acme.com"));
  REQUIRE(r.store_message(b, seen(bob, "gb", "tb")).ok());
  refresh(db);
  CHECK(count("email_investor_threads") == 2);

  // c replies to both: the two threads merge into one.
  auto c = inbound_email("c@acme.com", "Re: Deck");
  c.internal_date_ms += 120000;
  c.in_reply_to = "<a@acme.com>";
  c.references = {"<a@acme.com>", "<b@acme.com>"};
  REQUIRE(r.store_message(c, seen(alice, "gc", "ta")).ok());
  refresh(db);
  auto rows = gc::test::rows(db, "SELECT thread_id, message_count, last_email_id FROM email_investor_threads");
  REQUIRE(rows.size() == 1);
  const auto threads = all_pages(db, 200, acme, 10).front();
  REQUIRE(threads.size() == 1);
  CHECK(threads[0].count == 3);
  CHECK(threads[0].last_email == *r.email_id_for(alice, "gc").value());

  // Every message deleted: no row; one restored: the row is back.
  for (const auto& [acct, gid] : std::vector<std::pair<int64_t, std::string>>{{alice, "ga"}, {bob, "gb"}, {alice, "gc"}})
    REQUIRE(*r.mark_deleted(acct, gid, "trash"));
  refresh(db);
  CHECK(count("email_investor_threads") == 0);
  REQUIRE(*r.apply_labels(bob, "gb", {"INBOX"}, {"TRASH"}));
  refresh(db);
  const auto back = all_pages(db, 200, acme, 10).front();
  REQUIRE(back.size() == 1);
  CHECK(back[0].count == 1);
  CHECK(back[0].last_email == *r.email_id_for(bob, "gb").value());
}

// The rebuild after a commit reads the rows of the dirty threads, not the whole table: a plan
// that scanned emails made every commit of a backfill slower than the one before.
TEST_CASE_METHOD(email_db, "thread summaries: a rebuild reads only the dirty threads' rows", "[store][threads]") {
  auto r = repo();
  gc::store::email_repo::message_batch batch;
  for (int i = 0; i < 300; ++i) {
    auto e = inbound_email("m" + std::to_string(i) + "@acme.com", "Deck " + std::to_string(i));
    e.links.push_back(link_to(acme, "lee@acme.com"));
    batch.emplace_back(e, seen(alice, "g" + std::to_string(i), "t" + std::to_string(i)));
  }
  REQUIRE(r.store_messages(batch).ok());
  refresh(db);
  REQUIRE(count("email_investor_threads") == 300);

  auto late = inbound_email("late@acme.com", "Re: Deck 7");
  late.internal_date_ms += 60000;
  late.links.push_back(link_to(acme, "lee@acme.com"));
  REQUIRE(r.store_message(late, seen(alice, "glate", "t7")).ok());
  REQUIRE(dirty(db) == 1);
  const int64_t before = db.full_scan_steps();
  refresh(db);
  const int64_t scanned = db.full_scan_steps() - before;
  CHECK(scanned < 30);  // the dirty list and the thread's own rows; the table has 301 emails
  CHECK(count("email_investor_threads") == 300);
  CHECK(gc::test::scalar(db, "SELECT message_count FROM email_investor_threads WHERE last_email_id = "
                             "(SELECT max(id) FROM emails)") == 2);
}

#include "email_test_fixture.hpp"

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::scalar;
using gc::test::seen;
using strings = std::vector<std::string>;

namespace {

gc::store::email_rec at(gc::store::email_rec e, int64_t ms) {
  e.internal_date_ms = ms;
  return e;
}

gc::store::email_rec reply_to(const std::string& msgid, const std::string& subject,
                              std::vector<std::string> refs) {
  auto e = inbound_email(msgid, subject);
  e.in_reply_to = refs.empty() ? std::nullopt : std::optional<std::string>{refs.back()};
  e.references = std::move(refs);
  return e;
}

// Keys pointing at a thread that does not exist (must stay 0).
int64_t orphan_keys(gc::store::connection& c) {
  return scalar(c, "SELECT count(*) FROM email_thread_keys WHERE thread_id NOT IN "
                   "(SELECT id FROM email_threads)");
}

} // namespace

TEST_CASE_METHOD(email_db, "a reply joins its thread through the Gmail thread id",
                 "[store][email][threads]") {
  auto r = repo();
  auto first = r.store_message(at(inbound_email("a@acme.com", "Fund II close"), 1000000),
                               seen(alice, "m1", "gt1"));
  // No In-Reply-To or References (a broken client): Gmail's thread id still joins it.
  auto second = r.store_message(at(inbound_email("b@fund.vc", "RE: Fund II close"), 5000000),
                                seen(alice, "m2", "gt1"));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(second->thread_id == first->thread_id);
  CHECK(rows(db, "SELECT subject, first_message_at, last_message_at, message_count FROM "
                 "email_threads") ==
        strings{"Fund II close|1970-01-01T00:16:40.000Z|1970-01-01T01:23:20.000Z|2"});
  // Another mailbox's Gmail thread with the same id string is a different thread.
  auto other = r.store_message(inbound_email("c@acme.com", "Other"), seen(bob, "m1", "gt1"));
  CHECK(other->thread_id != first->thread_id);
}

TEST_CASE_METHOD(email_db, "References join threads across mailboxes",
                 "[store][email][threads]") {
  auto r = repo();
  auto root = r.store_message(at(inbound_email("root@acme.com", "Allocation"), 2000),
                              seen(alice, "a1", "alice-thread"));
  // Bob only sees a later reply (he was cc'd on it), in his own Gmail thread.
  auto reply = r.store_message(
      at(reply_to("r2@fund.vc", "Re: Allocation", {"<root@acme.com>"}), 3000),
      seen(bob, "b1", "bob-thread"));
  REQUIRE(root.ok());
  REQUIRE(reply.ok());
  CHECK(reply->thread_id == root->thread_id);
  // A later message in Bob's Gmail thread, referencing nothing we know, joins too.
  auto later = r.store_message(at(inbound_email("r3@fund.vc", "Re: Allocation"), 4000),
                               seen(bob, "b2", "bob-thread"));
  CHECK(later->thread_id == root->thread_id);
  CHECK(rows(db, "SELECT subject, message_count FROM email_threads") ==
        strings{"Allocation|3"});
  // Alice's copy of the reply, captured last, is the same email in the same thread.
  auto earlier = r.store_message(at(inbound_email("r2@fund.vc", "Re: Allocation"), 3000),
                                 seen(alice, "a2", "alice-thread"));
  CHECK(earlier->email_id == reply->email_id);   // same email, Alice's copy
  CHECK(count("email_threads") == 1);
  CHECK(orphan_keys(db) == 0);
}

TEST_CASE_METHOD(email_db, "a message linking two threads merges them", "[store][email][threads]") {
  auto r = repo();
  // Two conversations that look separate: Alice's and Bob's, with different roots.
  auto t1 = r.store_message(at(inbound_email("one@acme.com", "Re: Co-invest"), 9000),
                            seen(alice, "a1", "ga"))->thread_id;
  REQUIRE(r.store_message(at(reply_to("one-b@fund.vc", "Re: Co-invest", {"<one@acme.com>"}),
                             9500),
                          seen(alice, "a2", "ga"))
              .ok());
  auto t2 = r.store_message(at(inbound_email("two@acme.com", "Fwd: Co-invest"), 7000),
                            seen(bob, "b1", "gb"))->thread_id;
  REQUIRE(t1 != t2);
  CHECK(count("email_threads") == 2);

  // Then a message that references both roots.
  auto bridge = r.store_message(
      at(reply_to("bridge@acme.com", "Re: Co-invest", {"<two@acme.com>", "<one@acme.com>"}),
         12000),
      seen(bob, "b2", "gb-2"));
  REQUIRE(bridge.ok());
  CHECK(bridge->thread_id == std::min(t1, t2));
  CHECK(count("email_threads") == 1);
  CHECK(scalar(db, "SELECT count(DISTINCT thread_id) FROM emails") == 1);
  CHECK(scalar(db, "SELECT count(DISTINCT thread_id) FROM email_thread_keys") == 1);
  CHECK(orphan_keys(db) == 0);
  // Subject of the first message (Bob's forward, at 7000 ms), counts and times of all four.
  CHECK(rows(db, "SELECT id, subject, first_message_at, last_message_at, message_count FROM "
                 "email_threads") ==
        strings{std::to_string(std::min(t1, t2)) +
                "|Co-invest|1970-01-01T00:00:07.000Z|1970-01-01T00:00:12.000Z|4"});
  // Every key now resolves to the surviving thread: new copies join it.
  auto via_ga = r.store_message(inbound_email("late@acme.com", "x"), seen(alice, "a9", "ga"));
  CHECK(via_ga->thread_id == std::min(t1, t2));
  CHECK(count("email_threads") == 1);
}

TEST_CASE_METHOD(email_db, "a merge repoints every table that references email_threads",
                 "[store][email][threads]") {
  // A later migration's table (proposals, say) keeps pointing at a live thread after a merge.
  db.exec("CREATE TABLE thread_notes (id INTEGER PRIMARY KEY, "
          "thread_id INTEGER REFERENCES email_threads(id), note TEXT)");
  auto r = repo();
  auto t1 = r.store_message(inbound_email("p@acme.com", "A"), seen(alice, "a1", "g1"))->thread_id;
  auto t2 = r.store_message(inbound_email("q@acme.com", "B"), seen(alice, "a2", "g2"))->thread_id;
  db.exec("INSERT INTO thread_notes (thread_id, note) VALUES (" + std::to_string(t1) +
          ", 'one'), (" + std::to_string(t2) + ", 'two')");
  auto bridge = reply_to("pq@acme.com", "Re: A", {"<p@acme.com>", "<q@acme.com>"});
  REQUIRE(r.store_message(bridge, seen(alice, "a3", "g3")).ok());
  CHECK(rows(db, "SELECT thread_id, note FROM thread_notes ORDER BY id") ==
        strings{std::to_string(t1) + "|one", std::to_string(t1) + "|two"});
  CHECK(scalar(db, "PRAGMA foreign_key_check") == -1);   // no violations
}

TEST_CASE_METHOD(email_db, "thread times fall back to the Date header", "[store][email][threads]") {
  auto r = repo();
  auto e = inbound_email("d@acme.com", "Re: Re: Dated");
  e.internal_date_ms = 0;
  e.sent_at = "2023-05-06T07:08:09.000Z";
  REQUIRE(r.store_message(e, seen(alice, "a1", "g")).ok());
  CHECK(rows(db, "SELECT subject, first_message_at, last_message_at, message_count FROM "
                 "email_threads") ==
        strings{"Dated|2023-05-06T07:08:09.000Z|2023-05-06T07:08:09.000Z|1"});
}

TEST_CASE_METHOD(email_db, "thread times compare internalDate and Date-header times as one timeline",
                 "[store][email][threads]") {
  auto r = repo();
  auto dated = [&](const std::string& msgid, int64_t internal_ms, const std::string& sent, const std::string& gid) {
    auto e = inbound_email(msgid, "Timeline");
    e.internal_date_ms = internal_ms;
    e.sent_at = sent;
    REQUIRE(r.store_message(e, seen(alice, gid, "gt")).ok());
  };
  dated("m1@acme.com", 1700000000000, "2020-01-01T00:00:00.000Z", "a1");  // 2023-11-14T22:13:20Z
  dated("m2@acme.com", 0, "2023-01-02T03:04:05.000Z", "a2");              // only its Date header
  CHECK(rows(db, "SELECT first_message_at, last_message_at, message_count FROM email_threads") ==
        strings{"2023-01-02T03:04:05.000Z|2023-11-14T22:13:20.000Z|2"});
  dated("m3@acme.com", 0, "2024-06-07T08:09:10.000Z", "a3");
  dated("m4@acme.com", 1600000000123, "2024-12-31T00:00:00.000Z", "a4");  // 2020-09-13T12:26:40.123Z
  CHECK(rows(db, "SELECT first_message_at, last_message_at, message_count FROM email_threads") ==
        strings{"2020-09-13T12:26:40.123Z|2024-06-07T08:09:10.000Z|4"});
}

TEST_CASE_METHOD(email_db, "a thread's subject is its earliest message's, whichever kind of time it has",
                 "[store][email][threads]") {
  auto r = repo();
  auto dated = [&](const std::string& msgid, const std::string& subject, int64_t internal_ms,
                   std::optional<std::string> sent, const std::string& gid) {
    auto e = inbound_email(msgid, subject);
    e.internal_date_ms = internal_ms;
    e.sent_at = sent;
    REQUIRE(r.store_message(e, seen(alice, gid, "gs")).ok());
  };
  auto subject = [&] { return rows(db, "SELECT subject FROM email_threads"); };
  dated("n1@acme.com", "Re: untimed", 0, std::nullopt, "s1");          // no time: last resort
  CHECK(subject() == strings{"untimed"});
  dated("n2@acme.com", "Re: by internalDate", 1700000000000, std::nullopt, "s2");  // 2023-11-14
  CHECK(subject() == strings{"by internalDate"});
  dated("n3@acme.com", "  ", 1500000000000, std::nullopt, "s3");       // earlier, but blank
  CHECK(subject() == strings{"by internalDate"});
  dated("n4@acme.com", "Fwd: by Date header", 0, "2021-01-01T00:00:00.000Z", "s4");
  CHECK(subject() == strings{"by Date header"});
  dated("n5@acme.com", "Earliest", 1600000000000, "2030-01-01T00:00:00.000Z", "s5");  // 2020-09-13
  CHECK(subject() == strings{"Earliest"});
  CHECK(rows(db, "SELECT first_message_at, last_message_at, message_count FROM email_threads") ==
        strings{"2017-07-14T02:40:00.000Z|2023-11-14T22:13:20.000Z|5"});
}

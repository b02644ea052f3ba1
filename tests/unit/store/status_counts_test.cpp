// The counts behind GET /api/email/status (migration 0006): the one-row table email_counts
// that triggers keep equal to the real count(*) through every write path (ingest with dedup,
// a failed store, rematch, attachment outcomes, direct updates and deletes, a rollback), what
// status_repo::counts() reads, and the migration's starting values on a database that
// already holds mail.
#include "email_test_fixture.hpp"
#include "store/attachments_repo.hpp"
#include "store/crm_repo.hpp"
#include "store/status_repo.hpp"

#include <algorithm>

using gc::store::attachments_repo;
using gc::store::connection;
using gc::store::crm_repo;
using gc::store::status_repo;
using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::scalar;
using gc::test::seen;

namespace {

struct real_counts {
  int64_t emails, matched, stored;
};

real_counts count_rows(connection& c) {
  return {scalar(c, "SELECT count(*) FROM emails"),
          scalar(c, "SELECT count(*) FROM emails WHERE is_matched = 1"),
          scalar(c, "SELECT count(*) FROM email_attachments WHERE status = 'stored'")};
}

// The maintained row equals count(*), and status_repo::counts() returns it.
void check_exact(connection& c, const char* step) {
  INFO("after: " << step);
  auto want = count_rows(c);
  CHECK(scalar(c, "SELECT count(*) FROM email_counts") == 1);
  CHECK(scalar(c, "SELECT emails FROM email_counts") == want.emails);
  CHECK(scalar(c, "SELECT matched FROM email_counts") == want.matched);
  CHECK(scalar(c, "SELECT attachments_stored FROM email_counts") == want.stored);
  auto got = status_repo{c}.counts();
  REQUIRE(got.ok());
  CHECK(got->emails == want.emails);
  CHECK(got->matched == want.matched);
  CHECK(got->attachments_stored == want.stored);
}

struct counts_db : email_db {
  // An email from Acme seen by `account`: matched when `matched`, with stubs for `parts`.
  int64_t add(const std::string& msgid, bool matched, std::vector<std::string> parts = {},
              int64_t account = 0) {
    auto e = inbound_email(msgid, "Subject " + msgid);
    if (matched) e.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
    for (const auto& p : parts)
      e.attachments.push_back({p, "f" + p + ".pdf", "application/pdf", "", "att-" + msgid + p, 100});
    auto r = repo().store_message(e, seen(account ? account : alice, "g-" + msgid, "t-" + msgid));
    REQUIRE(r.ok());
    return r->email_id;
  }
  int64_t stub(int64_t email_id, const std::string& part) {
    return scalar(db, "SELECT id FROM email_attachments WHERE email_id = " + std::to_string(email_id) +
                          " AND part_id = '" + part + "'");
  }
  // Removes an email and every row that references it (no repo deletes emails).
  void delete_email(int64_t id) {
    auto i = std::to_string(id);
    db.exec("DELETE FROM email_attachments WHERE email_id = " + i + ";"
            "DELETE FROM email_investor_links WHERE email_id = " + i + ";"
            "DELETE FROM email_account_messages WHERE email_id = " + i + ";"
            "DELETE FROM emails_fts WHERE rowid = " + i + ";"
            "DELETE FROM emails WHERE id = " + i + ";");
  }
};

} // namespace

TEST_CASE_METHOD(counts_db, "status counts: the maintained row equals count(*) through every write path",
                 "[store][status][counts]") {
  check_exact(db, "migrate (empty)");
  CHECK(status_repo{db}.counts()->emails == 0);

  // Ingest: matched emails with attachment stubs, unmatched metadata-only ones.
  auto m1 = add("m1@acme.com", true, {"1", "2"});
  auto m2 = add("m2@acme.com", true, {"1"});
  auto u1 = add("u1@else.example", false, {"1"});
  auto u2 = add("u2@else.example", false);
  auto u3 = add("u3@else.example", false);
  check_exact(db, "ingest");
  CHECK(status_repo{db}.counts()->emails == 5);
  CHECK(status_repo{db}.counts()->matched == 2);

  // The same email from a second mailbox is one email (dedup): no count changes.
  add("m1@acme.com", true, {"1", "2"}, bob);
  add("u2@else.example", false, {}, bob);
  check_exact(db, "dedup");
  CHECK(status_repo{db}.counts()->emails == 5);

  // A store that fails (unknown investor: foreign key) leaves nothing behind, counts included.
  auto bad = inbound_email("bad@acme.com", "Bad link");
  bad.links = {{424242, std::nullopt, "domain", "x@acme.com"}};
  CHECK_FALSE(repo().store_message(bad, seen(alice, "g-bad", "t-bad")).ok());
  check_exact(db, "failed store");
  CHECK(status_repo{db}.counts()->emails == 5);

  // Rematch: is_matched 0 -> 1, once; applying the same links again changes nothing.
  crm_repo crm{db};
  std::vector<gc::store::link_rec> links{{acme, acme_contact, "domain", "x@acme.com"}};
  REQUIRE(crm.apply_links(u1, links).ok());
  check_exact(db, "rematch");
  CHECK(status_repo{db}.counts()->matched == 3);
  REQUIRE(crm.apply_links(u1, links).ok());
  REQUIRE(crm.apply_links(m1, links).ok());  // already matched
  check_exact(db, "rematch again");
  CHECK(status_repo{db}.counts()->matched == 3);

  // Updates that write is_matched without changing it, and ones that change it both ways.
  db.exec("UPDATE emails SET is_matched = is_matched, subject = 'x'");
  check_exact(db, "update without change");
  db.exec("UPDATE emails SET is_matched = 0 WHERE id = " + std::to_string(m2));
  check_exact(db, "unmatch one");
  db.exec("UPDATE emails SET is_matched = 1 WHERE id IN (" + std::to_string(m2) + ", " + std::to_string(u3) + ")");
  check_exact(db, "match two");
  CHECK(status_repo{db}.counts()->matched == 4);

  // Attachment outcomes: stored, failed, too_large, and a stored row that changes again.
  attachments_repo att{db};
  const std::string sha(64, 'a');
  REQUIRE(att.mark_stored(stub(m1, "1"), sha, "aa/" + sha, 100).ok());
  REQUIRE(att.mark_stored(stub(m1, "2"), sha, "aa/" + sha, 100).ok());
  REQUIRE(att.mark_failed(stub(m2, "1"), "timeout").ok());
  REQUIRE(att.mark_too_large(stub(u1, "1")).ok());
  check_exact(db, "attachment outcomes");
  CHECK(status_repo{db}.counts()->attachments_stored == 2);
  REQUIRE(att.mark_stored(stub(m1, "1"), sha, "aa/" + sha, 100).ok());  // stored -> stored
  check_exact(db, "stored again");
  db.exec("UPDATE email_attachments SET status = 'pending' WHERE id = " + std::to_string(stub(m1, "2")));
  check_exact(db, "stored -> pending");
  db.exec("UPDATE email_attachments SET status = status, error = NULL");
  check_exact(db, "attachment update without change");
  CHECK(status_repo{db}.counts()->attachments_stored == 1);
  // A row written as stored directly (by hand or a future path).
  db.exec("INSERT INTO email_attachments (email_id, part_id, status) VALUES (" + std::to_string(u2) +
          ", '9', 'stored')");
  check_exact(db, "insert stored");

  // Deletes: an attachment, a matched email with its rows, an unmatched email.
  db.exec("DELETE FROM email_attachments WHERE status = 'stored' AND email_id = " + std::to_string(u2));
  check_exact(db, "delete a stored attachment");
  delete_email(m1);
  check_exact(db, "delete a matched email");
  delete_email(u2);
  check_exact(db, "delete an unmatched email");
  CHECK(status_repo{db}.counts()->emails == 3);

  // A rolled-back transaction takes its count changes with it.
  db.exec("BEGIN");
  add("r1@acme.com", true, {"1"});
  db.exec("UPDATE email_attachments SET status = 'stored'");
  db.exec("ROLLBACK");
  check_exact(db, "rollback");
  CHECK(status_repo{db}.counts()->emails == 3);

  // A batch of new mail in one transaction.
  db.exec("BEGIN");
  for (int i = 0; i < 50; ++i) add("b" + std::to_string(i) + "@acme.com", i % 3 == 0, {"1"});
  db.exec("COMMIT");
  check_exact(db, "batch");
  CHECK(status_repo{db}.counts()->emails == 53);
}

TEST_CASE_METHOD(counts_db, "status counts: counts() reads the maintained row, and counts rows without it",
                 "[store][status][counts]") {
  add("m1@acme.com", true, {"1"});
  add("u1@else.example", false);
  // Proof that counts() reads the row rather than counting: a row that disagrees wins.
  db.exec("UPDATE email_counts SET emails = 1000, matched = 700, attachments_stored = 300");
  auto kept = status_repo{db}.counts();
  REQUIRE(kept.ok());
  CHECK(kept->emails == 1000);
  CHECK(kept->matched == 700);
  CHECK(kept->attachments_stored == 300);
  // Read in the same snapshot as the rest of the status.
  auto snap = status_repo{db}.snapshot(10);
  REQUIRE(snap.ok());
  CHECK(snap->counts.emails == 1000);

  // The row deleted by hand: the triggers have nothing to keep, so counts() counts.
  db.exec("DELETE FROM email_counts");
  auto counted = status_repo{db}.counts();
  REQUIRE(counted.ok());
  CHECK(counted->emails == 2);
  CHECK(counted->matched == 1);
  CHECK(counted->attachments_stored == 0);
}

TEST_CASE("status counts: migration 0006 starts from the mail already stored", "[store][status][counts][migrations]") {
  auto all = gc::store::embedded_migrations();
  auto is_counts = [](const gc::store::migration& m) { return m.name == "0006_email_counts.sql"; };
  REQUIRE(std::count_if(all.begin(), all.end(), is_counts) == 1);
  std::vector<gc::store::migration> before;
  for (const auto& m : all)
    if (m.version < 6) before.push_back(m);

  gc::test::temp_dir dir;
  connection db{dir.file("crm.db")};
  REQUIRE(gc::store::migrate(db, before).ok());
  CHECK_FALSE(db.table_exists("email_counts"));
  // Mail written by a binary without 0006: 4 emails (3 matched), attachments in each state.
  db.exec("INSERT INTO emails (id, dedup_key, is_matched) VALUES "
          "(1, 'a@x', 1), (2, 'b@x', 1), (3, 'c@x', 0), (4, 'd@x', 1);"
          "INSERT INTO email_attachments (email_id, part_id, status) VALUES "
          "(1, '1', 'stored'), (1, '2', 'stored'), (2, '1', 'pending'), (3, '1', 'failed'), "
          "(4, '1', 'stored'), (4, '2', 'too_large');");

  auto r = gc::store::migrate(db);  // applies 0006 and every later migration
  REQUIRE(r.ok());
  CHECK(std::find(r->applied.begin(), r->applied.end(), 6) != r->applied.end());
  CHECK(scalar(db, "SELECT emails FROM email_counts WHERE id = 1") == 4);
  CHECK(scalar(db, "SELECT matched FROM email_counts WHERE id = 1") == 3);
  CHECK(scalar(db, "SELECT attachments_stored FROM email_counts WHERE id = 1") == 3);
  check_exact(db, "migration 0006");

  // The triggers take over from there.
  db.exec("INSERT INTO emails (id, dedup_key, is_matched) VALUES (5, 'e@x', 1);"
          "UPDATE emails SET is_matched = 0 WHERE id = 1;"
          "UPDATE email_attachments SET status = 'stored' WHERE email_id = 2;");
  check_exact(db, "writes after 0006");
  CHECK(status_repo{db}.counts()->emails == 5);
  CHECK(status_repo{db}.counts()->matched == 3);
  CHECK(status_repo{db}.counts()->attachments_stored == 4);
}

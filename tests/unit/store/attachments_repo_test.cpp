// attachments_repo on a migrated database: which stubs are due (matched emails only, oldest
// first, failed rows after their backoff, never after max_attempts), their source sighting,
// and every state transition. Times are pinned (updated_at set, `now` passed) so the backoff
// checks do not depend on the clock.
#include "email_test_fixture.hpp"
#include "store/attachments_repo.hpp"

#include <sqlite3.h>

using gc::store::attachments_repo;
using gc::store::pending_attachment;
using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::scalar;
using gc::test::seen;
using strings = std::vector<std::string>;

namespace {

const std::string sha_a = std::string(64, 'a');
const std::string sha_b = std::string(64, 'b');

struct attach_db : email_db {
  attachments_repo att{db};

  // A matched (or unmatched) email from Acme seen by alice, with stubs for `parts`.
  int64_t add_email(const std::string& msgid, bool matched, const std::vector<std::string>& parts,
                    const std::string& gmail_id) {
    auto e = inbound_email(msgid, "Deck " + msgid);
    if (matched) e.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
    for (const auto& p : parts)
      e.attachments.push_back({p, "file" + p + ".pdf", "application/pdf", "", "att-" + gmail_id + "-" + p, 1000});
    auto r = repo().store_message(e, seen(alice, gmail_id, "t-" + gmail_id));
    REQUIRE(r.ok());
    return r->email_id;
  }
  int64_t stub(int64_t email_id, const std::string& part) {
    return scalar(db, "SELECT id FROM email_attachments WHERE email_id = " + std::to_string(email_id) +
                          " AND part_id = '" + part + "'");
  }
  std::vector<int64_t> due_ids(const std::string& now = {}) {
    auto p = att.pending(100, now);
    REQUIRE(p.ok());
    std::vector<int64_t> out;
    for (const auto& a : *p) out.push_back(a.id);
    return out;
  }
  void set_updated(int64_t id, const std::string& at) {
    db.exec("UPDATE email_attachments SET updated_at = '" + at + "' WHERE id = " + std::to_string(id));
  }
  std::string state(int64_t id) {
    return rows(db, "SELECT status, coalesce(error, '-'), attempts, coalesce(sha256, '-'), "
                    "coalesce(storage_path, '-'), size FROM email_attachments WHERE id = " +
                        std::to_string(id))
        .at(0);
  }
};

} // namespace

TEST_CASE_METHOD(attach_db, "pending lists the stubs of matched emails only, oldest first, with their source",
                 "[store][attachments]") {
  auto m1 = add_email("m1@acme.com", true, {"1", "2"}, "g-m1");
  auto u1 = add_email("u1@acme.com", false, {"1"}, "g-u1");
  auto m2 = add_email("m2@acme.com", true, {"0.1"}, "g-m2");

  auto p = att.pending(10);
  REQUIRE(p.ok());
  REQUIRE(p->size() == 3);
  CHECK(due_ids() == std::vector<int64_t>{stub(m1, "1"), stub(m1, "2"), stub(m2, "0.1")});
  const auto& a = p->at(0);
  CHECK(a.email_id == m1);
  CHECK(a.part_id == "1");
  CHECK(a.filename == "file1.pdf");
  CHECK(a.mime_type == "application/pdf");
  CHECK(a.size == 1000);
  CHECK(a.status == "pending");
  CHECK(a.attempts == 0);
  REQUIRE(a.account_id);
  CHECK(*a.account_id == alice);
  CHECK(a.account_email == "alice@fund.vc");
  CHECK(a.gmail_message_id == "g-m1");
  CHECK(a.gmail_attachment_id == "att-g-m1-1");
  CHECK_FALSE(a.source_switched);
  CHECK(att.pending(1)->size() == 1);

  // due(ids) applies the same rules to the rows asked for, in the order asked.
  CHECK(att.due({stub(m2, "0.1")})->size() == 1);
  CHECK(att.due({stub(u1, "1")})->empty());
  auto several = att.due(std::vector<int64_t>{stub(m2, "0.1"), stub(u1, "1"), 999999, stub(m1, "1")});
  REQUIRE(several.ok());
  REQUIRE(several->size() == 2);
  CHECK(several->at(0).id == stub(m2, "0.1"));
  CHECK(several->at(1).id == stub(m1, "1"));
  CHECK(several->at(1).gmail_attachment_id == "att-g-m1-1");
  CHECK(sqlite3_get_autocommit(db.raw()) != 0);  // its read transaction is over

  // A rematch links the unmatched email: its stub becomes due.
  auto e = inbound_email("u1@acme.com", "Deck u1@acme.com");
  e.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
  e.attachments.push_back({"1", "file1.pdf", "application/pdf", "", "att-g-u1-1", 1000});
  REQUIRE(repo().store_message(e, seen(alice, "g-u1", "t-g-u1")).ok());
  CHECK(due_ids() == std::vector<int64_t>{stub(m1, "1"), stub(m1, "2"), stub(u1, "1"), stub(m2, "0.1")});
}

TEST_CASE_METHOD(attach_db, "stored and too_large are final, failed rows come back after 2^attempts minutes",
                 "[store][attachments]") {
  auto m = add_email("m@acme.com", true, {"1", "2", "3"}, "g-m");
  auto s1 = stub(m, "1"), s2 = stub(m, "2"), s3 = stub(m, "3");

  REQUIRE(att.mark_stored(s1, sha_a, "email_attachments/aa/" + sha_a, 1234).ok());
  CHECK(state(s1) == "stored|-|0|" + sha_a + "|email_attachments/aa/" + sha_a + "|1234");
  REQUIRE(att.mark_too_large(s2).ok());
  CHECK(state(s2) == "too_large|-|0|-|-|1000");
  CHECK(due_ids() == std::vector<int64_t>{s3});

  REQUIRE(att.mark_failed(s3, "attachments.get: boom").ok());
  CHECK(state(s3) == "failed|attachments.get: boom|1|-|-|1000");
  set_updated(s3, "2025-01-01T00:00:00.000Z");
  CHECK(due_ids("2025-01-01T00:01:59.999Z").empty());                    // 2^1 = 2 minutes
  CHECK(due_ids("2025-01-01T00:02:00.000Z") == std::vector<int64_t>{s3});
  CHECK(att.due({s3}, "2025-01-01T00:02:00.000Z")->size() == 1);
  CHECK(att.due({s3}, "2025-01-01T00:01:00.000Z")->empty());

  REQUIRE(att.mark_failed(s3, "again").ok());
  set_updated(s3, "2025-01-01T00:00:00.000Z");
  CHECK(due_ids("2025-01-01T00:03:59.000Z").empty());                    // 2^2 = 4 minutes
  CHECK(due_ids("2025-01-01T00:04:00.000Z") == std::vector<int64_t>{s3});

  // A deferred failure keeps the attempts and restarts the wait.
  REQUIRE(att.mark_deferred(s3, "credentials refused").ok());
  CHECK(state(s3) == "failed|credentials refused|2|-|-|1000");

  // The eighth failure is the last: the row stays failed for good.
  db.exec("UPDATE email_attachments SET attempts = 7 WHERE id = " + std::to_string(s3));
  set_updated(s3, "2025-01-01T00:00:00.000Z");
  CHECK(due_ids("2025-01-01T02:08:00.000Z") == std::vector<int64_t>{s3});  // 2^7 = 128 minutes
  REQUIRE(att.mark_failed(s3, "gone").ok());
  set_updated(s3, "2025-01-01T00:00:00.000Z");
  CHECK(due_ids("2030-01-01T00:00:00.000Z").empty());
  CHECK(state(s3) == "failed|gone|8|-|-|1000");

  // A failed row that is finally stored loses its error.
  REQUIRE(att.mark_stored(s3, sha_b, "email_attachments/bb/" + sha_b, 77).ok());
  CHECK(state(s3) == "stored|-|8|" + sha_b + "|email_attachments/bb/" + sha_b + "|77");
  // A too_large stub found over the cap after the download records the real size.
  auto m2 = add_email("m2@acme.com", true, {"1"}, "g-m2");
  REQUIRE(att.mark_too_large(stub(m2, "1"), int64_t{99999999}).ok());
  CHECK(state(stub(m2, "1")) == "too_large|-|0|-|-|99999999");
}

TEST_CASE_METHOD(attach_db, "find_by_sha finds stored files, ids and sources can be refreshed, bad calls are errors",
                 "[store][attachments]") {
  auto m1 = add_email("m1@acme.com", true, {"1"}, "g-m1");
  auto m2 = add_email("m2@acme.com", true, {"1"}, "g-m2");
  CHECK_FALSE(att.find_by_sha(sha_a)->has_value());
  REQUIRE(att.mark_stored(stub(m1, "1"), sha_a, "email_attachments/aa/" + sha_a, 10).ok());
  REQUIRE(att.mark_stored(stub(m2, "1"), sha_a, "email_attachments/aa/" + sha_a, 10).ok());
  auto f = att.find_by_sha(sha_a);
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  CHECK((*f)->sha256 == sha_a);
  CHECK((*f)->storage_path == "email_attachments/aa/" + sha_a);
  CHECK((*f)->size == 10);
  CHECK_FALSE(att.find_by_sha(sha_b)->has_value());

  auto m3 = add_email("m3@acme.com", true, {"1"}, "g-m3");
  REQUIRE(att.update_attachment_id(stub(m3, "1"), "fresh-id").ok());
  CHECK(att.pending(10)->at(0).gmail_attachment_id == "fresh-id");

  CHECK(att.mark_stored(9999, sha_a, "x", 1).error().code == "not_found");
  CHECK(att.mark_failed(9999, "x").error().code == "not_found");
  CHECK(att.mark_too_large(9999).error().code == "not_found");
  CHECK(att.update_attachment_id(9999, "x").error().code == "not_found");
  CHECK(att.mark_stored(stub(m3, "1"), "abc", "x", 1).error().code == "invalid");
  CHECK(att.update_attachment_id(stub(m3, "1"), "").error().code == "invalid");
}

TEST_CASE_METHOD(attach_db, "a stub whose mailbox copy was deleted is fetched from another live copy",
                 "[store][attachments]") {
  auto e = inbound_email("shared@acme.com", "Shared deck");
  e.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
  e.attachments.push_back({"1", "deck.pdf", "application/pdf", "", "att-alice", 500});
  REQUIRE(repo().store_message(e, seen(alice, "a-1", "a-t")).ok());
  e.attachments[0].gmail_attachment_id = "att-bob";
  auto st = repo().store_message(e, seen(bob, "b-1", "b-t"));
  REQUIRE(st.ok());
  auto id = stub(st->email_id, "1");

  // Trash keeps the message fetchable: still the stub's own copy.
  REQUIRE(*repo().mark_deleted(alice, "a-1", "trash"));
  auto p = att.pending(10);
  REQUIRE(p->size() == 1);
  CHECK(p->at(0).gmail_message_id == "a-1");
  CHECK(p->at(0).gmail_attachment_id == "att-alice");

  // Deleted for good: bob's copy, whose attachment id must be read afresh.
  REQUIRE(*repo().mark_deleted(alice, "a-1", "deleted"));
  p = att.pending(10);
  REQUIRE(p->size() == 1);
  CHECK(p->at(0).account_id == std::optional<int64_t>{bob});
  CHECK(p->at(0).account_email == "bob@fund.vc");
  CHECK(p->at(0).gmail_message_id == "b-1");
  CHECK(p->at(0).gmail_attachment_id.empty());
  CHECK(p->at(0).source_switched);

  REQUIRE(att.update_source(id, bob, "b-1", "att-bob-2").ok());
  p = att.pending(10);
  CHECK(p->at(0).gmail_attachment_id == "att-bob-2");
  CHECK_FALSE(p->at(0).source_switched);

  // No live copy anywhere: still listed (to be recorded as failed), without a source.
  REQUIRE(*repo().mark_deleted(bob, "b-1", "deleted"));
  p = att.pending(10);
  REQUIRE(p->size() == 1);
  CHECK_FALSE(p->at(0).account_id.has_value());
  CHECK(p->at(0).gmail_message_id.empty());
}

// The fetcher reads the due rows a batch at a time, from where it stopped; stubs of unmatched
// mail (never due) must not make each read walk or sort all of them.
TEST_CASE_METHOD(attach_db, "pending reads on from a place, and its work does not grow with unmatched stubs",
                 "[store][attachments]") {
  auto m1 = add_email("m1@acme.com", true, {"1", "2", "3"}, "g-m1");
  for (int i = 0; i < 300; ++i) add_email("u" + std::to_string(i) + "@acme.com", false, {"1"}, "g-u" + std::to_string(i));
  auto m2 = add_email("m2@acme.com", true, {"1"}, "g-m2");

  auto ids = [](const gc::result<std::vector<pending_attachment>>& p) {
    REQUIRE(p.ok());
    std::vector<int64_t> out;
    for (const auto& a : *p) out.push_back(a.id);
    return out;
  };
  CHECK(ids(att.pending(2)) == std::vector<int64_t>{stub(m1, "1"), stub(m1, "2")});
  CHECK(ids(att.pending(2, {}, stub(m1, "2"))) == std::vector<int64_t>{stub(m1, "3"), stub(m2, "1")});
  CHECK(ids(att.pending(2, {}, stub(m2, "1"))).empty());
  // A failed row that is due merges in id order with the pending ones.
  REQUIRE(att.mark_failed(stub(m1, "2"), "timeout").ok());
  set_updated(stub(m1, "2"), "2020-01-01T00:00:00.000Z");
  CHECK(ids(att.pending(3, "2025-01-01T00:00:00.000Z")) ==
        std::vector<int64_t>{stub(m1, "1"), stub(m1, "2"), stub(m1, "3")});

  // The first two due rows come first in the index: reading them must not touch the 300
  // unmatched stubs (reading and sorting every pending row took ~20 steps per row).
  const int64_t before = db.vm_steps();
  CHECK(ids(att.pending(2)).size() == 2);
  CHECK(db.vm_steps() - before < 600);
}

#include "email_test_fixture.hpp"

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::scalar;
using gc::test::seen;
using strings = std::vector<std::string>;

namespace {

// Live iff some sighting is not soft-deleted (seed 004).
int64_t live(gc::store::connection& c, int64_t email_id) {
  return scalar(c, "SELECT EXISTS (SELECT 1 FROM email_account_messages WHERE email_id = " +
                       std::to_string(email_id) + " AND deleted_at IS NULL)");
}

} // namespace

TEST_CASE_METHOD(email_db, "one email seen by two mailboxes is one row with two sightings",
                 "[store][email]") {
  auto r = repo();
  auto e = inbound_email("q3@acme.com", "Q3 numbers");
  auto first = r.store_message(e, seen(alice, "a-1", "a-t1"));
  REQUIRE(first.ok());
  CHECK(first->created);
  CHECK(first->new_sighting);
  auto second = r.store_message(e, seen(bob, "b-9", "b-t4", {"INBOX", "UNREAD"}));
  REQUIRE(second.ok());
  CHECK_FALSE(second->created);
  CHECK(second->new_sighting);
  CHECK(second->email_id == first->email_id);
  CHECK(second->thread_id == first->thread_id);

  CHECK(count("emails") == 1);
  CHECK(rows(db, "SELECT account_id, gmail_message_id, gmail_thread_id, label_ids, is_sent, "
                 "deleted_at FROM email_account_messages ORDER BY id") ==
        strings{std::to_string(alice) + "|a-1|a-t1|[\"INBOX\"]|0|<null>",
                std::to_string(bob) + "|b-9|b-t4|[\"INBOX\",\"UNREAD\"]|0|<null>"});
  CHECK(rows(db, "SELECT dedup_key, message_id, subject, from_email, direction, has_body, "
                 "is_matched, to_json FROM emails") ==
        strings{"q3@acme.com|<q3@acme.com>|Q3 numbers|lee@acme.com|inbound|0|0|"
                "[{\"email\":\"alice@fund.vc\",\"name\":\"Alice\"},"
                "{\"email\":\"bob@fund.vc\",\"name\":\"Bob\"}]"});
  // Both mailboxes' Gmail threads now name the one thread.
  CHECK(rows(db, "SELECT kind, key FROM email_thread_keys ORDER BY kind, key") ==
        strings{"gmail|" + std::to_string(alice) + ":a-t1", "gmail|" + std::to_string(bob) + ":b-t4",
                "msgid|q3@acme.com"});
  CHECK(*r.email_id_for(bob, "b-9") == first->email_id);
  CHECK_FALSE(r.email_id_for(alice, "b-9")->has_value());
}

TEST_CASE_METHOD(email_db, "replaying a batch leaves every row exactly as it was",
                 "[store][email]") {
  auto r = repo();
  auto matched = inbound_email("deal@acme.com", "Re: Term sheet");
  matched.body_text = "Please find the term sheet attached.";
  matched.body_html = "<p>Please find the term sheet attached.</p>";
  matched.links = {{acme, acme_contact, "exact", "lee@acme.com"},
                   {acme, std::nullopt, "domain", "acme.com"}};
  matched.attachments = {{"2", "terms.pdf", "application/pdf", "", "ANGjdJ-x", 52000}};
  auto reply = inbound_email("reply@fund.vc", "Re: Term sheet");
  reply.from = {"Alice", "alice@fund.vc"};
  reply.in_reply_to = "<deal@acme.com>";
  reply.references = {"<deal@acme.com>"};
  auto nomsgid = inbound_email("sha256:0123", "No id");
  nomsgid.message_id.reset();

  auto batch = [&] {
    REQUIRE(r.store_message(matched, seen(alice, "a-1", "a-t1")).ok());
    REQUIRE(r.store_message(matched, seen(bob, "b-1", "b-t1", {"INBOX", "TRASH"})).ok());
    REQUIRE(r.store_message(reply, seen(alice, "a-2", "a-t1", {"SENT"})).ok());
    REQUIRE(r.store_message(nomsgid, seen(bob, "b-2", "b-t2")).ok());
    REQUIRE(r.record_skip({alice, "a-404", "not_found", "404 from messages.get"}).ok());
  };
  batch();
  const auto once = gc::test::dump_email_tables(db);
  CHECK(count("emails") == 3);
  CHECK(count("email_account_messages") == 4);
  CHECK(count("email_investor_links") == 2);
  CHECK(count("email_attachments") == 1);
  CHECK(count("email_threads") == 2);

  // The same batch again (a crash after commit, before the reply reached the syncer) — except
  // the skip record, the one counter, which is left out of the replay.
  REQUIRE(r.store_message(matched, seen(alice, "a-1", "a-t1")).ok());
  REQUIRE(r.store_message(matched, seen(bob, "b-1", "b-t1", {"INBOX", "TRASH"})).ok());
  auto again = r.store_message(reply, seen(alice, "a-2", "a-t1", {"SENT"}));
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK_FALSE(again->new_sighting);
  REQUIRE(r.store_message(nomsgid, seen(bob, "b-2", "b-t2")).ok());
  CHECK(gc::test::dump_email_tables(db) == once);
}

TEST_CASE_METHOD(email_db, "a metadata-only email receives its body once, never loses it",
                 "[store][email][search]") {
  auto r = repo();
  gc::store::email_search_repo search{db};
  auto meta = inbound_email("m@acme.com", "Fund II");
  auto first = r.store_message(meta, seen(alice, "a-1", "a-t1"));
  REQUIRE(first.ok());
  CHECK(rows(db, "SELECT has_body, body_text, body_html FROM emails") ==
        strings{"0|<null>|<null>"});
  CHECK(search.search_ids("quarterly")->size() == 1);   // the snippet stands in for the body
  CHECK(search.search_ids("wirefraud")->empty());

  auto full = meta;
  full.body_text = "Our wirefraud controls are described below.";
  full.body_html = "<p>Our wirefraud controls</p>";
  auto filled = r.store_message(full, seen(bob, "b-1", "b-t1"));
  REQUIRE(filled.ok());
  CHECK(filled->body_filled);
  CHECK_FALSE(filled->created);
  CHECK(rows(db, "SELECT has_body, body_text FROM emails") ==
        strings{"1|Our wirefraud controls are described below."});
  CHECK(*search.search_ids("wirefraud") == std::vector<int64_t>{first->email_id});
  CHECK(search.search_ids("quarterly")->empty());      // the index holds the body now
  CHECK(count("emails_fts") == 1);

  // A later metadata-only copy, or a different body, changes nothing.
  auto other = full;
  other.body_text = "something else";
  REQUIRE(r.store_message(meta, seen(alice, "a-1", "a-t1")).ok());
  auto again = r.store_message(other, seen(bob, "b-1", "b-t1"));
  REQUIRE(again.ok());
  CHECK_FALSE(again->body_filled);
  CHECK(rows(db, "SELECT has_body, body_text, body_html FROM emails") ==
        strings{"1|Our wirefraud controls are described below.|<p>Our wirefraud controls</p>"});
}

TEST_CASE_METHOD(email_db, "without a Message-ID the content hash dedups and Gmail threads",
                 "[store][email]") {
  auto r = repo();
  auto e = inbound_email("sha256:abcd", "Automated report");
  e.message_id.reset();
  auto a = r.store_message(e, seen(alice, "a-1", "a-t1"));
  auto b = r.store_message(e, seen(bob, "b-1", "b-t1"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(b->email_id == a->email_id);
  CHECK(b->thread_id == a->thread_id);
  CHECK(rows(db, "SELECT dedup_key, message_id FROM emails") == strings{"sha256:abcd|<null>"});
  CHECK(scalar(db, "SELECT count(*) FROM email_thread_keys WHERE kind = 'msgid'") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM email_thread_keys WHERE kind = 'gmail'") == 2);

  // Neither a Message-ID nor a Gmail thread: still one thread of its own.
  auto bare = inbound_email("sha256:ffff", "bare");
  bare.message_id.reset();
  auto c = r.store_message(bare, seen(alice, "a-2", ""));
  REQUIRE(c.ok());
  CHECK(c->thread_id != a->thread_id);
  CHECK(r.store_message(bare, seen(alice, "a-2", ""))->thread_id == c->thread_id);
  CHECK(count("email_threads") == 2);
}

TEST_CASE_METHOD(email_db, "direction is decided at the email level", "[store][email]") {
  auto r = repo();
  auto out = inbound_email("out@fund.vc", "Intro");
  out.from = {"Alice", "ALICE@Fund.VC"};   // our mailbox, any case
  auto in = inbound_email("in@acme.com", "Reply");
  REQUIRE(r.store_message(out, seen(alice, "a-1", "t", {"SENT"})).ok());
  REQUIRE(r.store_message(out, seen(bob, "b-1", "t", {"INBOX"})).ok());
  REQUIRE(r.store_message(in, seen(alice, "a-2", "t")).ok());
  CHECK(rows(db, "SELECT dedup_key, direction FROM emails ORDER BY id") ==
        strings{"out@fund.vc|outbound", "in@acme.com|inbound"});
  CHECK(rows(db, "SELECT gmail_message_id, is_sent FROM email_account_messages ORDER BY id") ==
        strings{"a-1|1", "b-1|0", "a-2|0"});
}

TEST_CASE_METHOD(email_db, "TRASH and SPAM soft-delete one sighting, never the email",
                 "[store][email]") {
  auto r = repo();
  auto e = inbound_email("x@acme.com", "Hello");
  auto id = r.store_message(e, seen(alice, "a-1", "a-t"))->email_id;
  REQUIRE(r.store_message(e, seen(bob, "b-1", "b-t", {"TRASH"})).ok());
  CHECK(rows(db, "SELECT gmail_message_id, deleted_at IS NOT NULL, deleted_reason FROM "
                 "email_account_messages ORDER BY id") == strings{"a-1|0|<null>", "b-1|1|trash"});
  CHECK(live(db, id) == 1);

  REQUIRE(*r.apply_labels(alice, "a-1", {"SPAM"}, {"INBOX"}));
  CHECK(rows(db, "SELECT label_ids, deleted_reason FROM email_account_messages WHERE "
                 "gmail_message_id = 'a-1'") == strings{"[\"SPAM\"]|spam"});
  CHECK(live(db, id) == 0);
  CHECK(count("emails") == 1);

  // Out of the trash again: live; the same change twice changes nothing.
  REQUIRE(*r.apply_labels(bob, "b-1", {"INBOX"}, {"TRASH"}));
  CHECK_FALSE(*r.apply_labels(bob, "b-1", {"INBOX"}, {"TRASH"}));
  CHECK(live(db, id) == 1);
  CHECK(rows(db, "SELECT label_ids, deleted_at, deleted_reason FROM email_account_messages "
                 "WHERE gmail_message_id = 'b-1'") == strings{"[\"INBOX\"]|<null>|<null>"});
  // A refetch that no longer carries SPAM clears the soft delete too.
  REQUIRE(r.store_message(e, seen(alice, "a-1", "a-t", {"INBOX"})).ok());
  CHECK(scalar(db, "SELECT count(*) FROM email_account_messages WHERE deleted_at IS NULL") == 2);

  // messagesDeleted is final: labels and refetches do not revive it.
  CHECK(*r.mark_deleted(bob, "b-1"));
  CHECK_FALSE(*r.mark_deleted(bob, "b-1"));
  CHECK_FALSE(*r.mark_deleted(bob, "never-seen"));
  CHECK_FALSE(*r.apply_labels(bob, "b-1", {"INBOX"}, {}));
  REQUIRE(r.store_message(e, seen(bob, "b-1", "b-t", {"INBOX"})).ok());
  CHECK(rows(db, "SELECT deleted_at IS NOT NULL, deleted_reason FROM email_account_messages "
                 "WHERE gmail_message_id = 'b-1'") == strings{"1|deleted"});
  CHECK(live(db, id) == 1);   // alice's copy is still live
  CHECK(r.mark_deleted(bob, "b-1", "bogus").error().code == "invalid");
  CHECK_FALSE(*r.apply_labels(alice, "nope", {"X"}, {}));
}

TEST_CASE_METHOD(email_db, "links, is_matched and attachment stubs", "[store][email]") {
  auto r = repo();
  auto e = inbound_email("att@acme.com", "Deck");
  e.attachments = {{"1", "deck.pdf", "application/pdf", "", "", 100}};
  auto id = r.store_message(e, seen(alice, "a-1", "t"))->email_id;
  CHECK(rows(db, "SELECT is_matched FROM emails") == strings{"0"});
  CHECK(rows(db, "SELECT part_id, filename, status, gmail_attachment_id, source_account_id FROM "
                 "email_attachments") == strings{"1|deck.pdf|pending|<null>|" +
                                                 std::to_string(alice)});

  // Bob's copy matched (the matcher's index grew) and carries the Gmail attachment id.
  auto matched = e;
  matched.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
  matched.attachments[0].gmail_attachment_id = "ANGj-b";
  REQUIRE(r.store_message(matched, seen(bob, "b-1", "t")).ok());
  CHECK(rows(db, "SELECT is_matched FROM emails") == strings{"1"});
  CHECK(rows(db, "SELECT email_id, investor_id, contact_id, match_kind, matched_address FROM "
                 "email_investor_links") ==
        strings{std::to_string(id) + "|10|20|exact|lee@acme.com"});
  CHECK(rows(db, "SELECT part_id, gmail_attachment_id, source_account_id, "
                 "source_gmail_message_id FROM email_attachments") ==
        strings{"1|ANGj-b|" + std::to_string(bob) + "|b-1"});

  // An unknown investor is a foreign key failure, and nothing of that call remains.
  auto bad = inbound_email("bad@acme.com", "bad");
  bad.links = {{999, std::nullopt, "exact", "x@y"}};
  auto res = r.store_message(bad, seen(alice, "a-9", "t9"));
  CHECK(res.error().code == "sqlite");
  CHECK(count("emails") == 1);
  CHECK(count("email_threads") == 1);
  CHECK_FALSE(r.email_id_for(alice, "a-9")->has_value());

  auto kind = e;
  kind.links = {{acme, std::nullopt, "fuzzy", "x"}};
  CHECK(r.store_message(kind, seen(alice, "a-1", "t")).error().code == "invalid");
  CHECK(r.store_message(gc::store::email_rec{}, seen(alice, "a-1", "t")).error().code ==
        "invalid");
}

TEST_CASE_METHOD(email_db, "a skip is recorded, counted, and cleared by a later success",
                 "[store][email]") {
  auto r = repo();
  REQUIRE(r.record_skip({alice, "a-1", "unparseable", "bad MIME"}).ok());
  db.exec("UPDATE email_skipped_messages SET first_at = '2024-01-01T00:00:00.000Z'");
  REQUIRE(r.record_skip({alice, "a-1", "unparseable", "still bad"}).ok());
  CHECK(rows(db, "SELECT gmail_message_id, reason, detail, attempts, first_at FROM "
                 "email_skipped_messages") ==
        strings{"a-1|unparseable|still bad|2|2024-01-01T00:00:00.000Z"});
  REQUIRE(r.record_skip({bob, "a-1", "not_found", ""}).ok());   // another mailbox's id
  CHECK(r.record_skip({alice, "", "x", ""}).error().code == "invalid");

  REQUIRE(r.store_message(inbound_email("ok@acme.com", "ok"), seen(alice, "a-1", "t")).ok());
  CHECK(rows(db, "SELECT account_id, gmail_message_id FROM email_skipped_messages") ==
        strings{std::to_string(bob) + "|a-1"});
}

TEST_CASE_METHOD(email_db, "sighted_ids returns the already-sighted subset in order",
                 "[store][email]") {
  auto r = repo();
  REQUIRE(r.store_message(inbound_email("1@x.com", "1"), seen(alice, "m1", "t")).ok());
  REQUIRE(r.store_message(inbound_email("3@x.com", "3"), seen(alice, "m3", "t", {"TRASH"})).ok());
  REQUIRE(r.store_message(inbound_email("2@x.com", "2"), seen(bob, "m2", "t")).ok());
  CHECK(*r.sighted_ids(alice, {"m3", "m2", "m1", "m4", "m1"}) == strings{"m3", "m1", "m1"});
  CHECK(*r.sighted_ids(bob, {"m1", "m2"}) == strings{"m2"});
  CHECK(r.sighted_ids(alice, {})->empty());
}

// A batch's new rows carry the batch's time, formatted once, in SQLite's own format.
TEST_CASE_METHOD(email_db, "a batch's new rows are timestamped with one time in the usual format", "[store][email]") {
  auto r = repo();
  gc::store::sighting_rec trashed = seen(bob, "g2", "t2");
  trashed.label_ids = {"TRASH"};
  REQUIRE(r.store_messages({{inbound_email("a@acme.com", "One"), seen(alice, "g1", "t1")},
                            {inbound_email("b@acme.com", "Two"), trashed}})
              .ok());
  const auto times = rows(db, "SELECT created_at FROM emails UNION SELECT updated_at FROM emails UNION "
                              "SELECT created_at FROM email_account_messages UNION SELECT updated_at FROM "
                              "email_account_messages UNION SELECT deleted_at FROM email_account_messages "
                              "WHERE deleted_at IS NOT NULL");
  REQUIRE(times.size() == 1);
  CHECK(scalar(db, "SELECT '" + times[0] + "' GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:"
                   "[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'") == 1);
  CHECK(scalar(db, "SELECT abs(julianday('now') - julianday('" + times[0] + "')) * 86400 < 60") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM email_account_messages WHERE deleted_reason = 'trash'") == 1);
}

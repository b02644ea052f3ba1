// The email write path inside the store writer's transaction shape (BEGIN IMMEDIATE, one
// savepoint per job), crash-and-replay, and migration 0003 on a database that already has mail.
#include "email_test_fixture.hpp"

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::scalar;
using gc::test::seen;
using strings = std::vector<std::string>;

namespace {

// One syncer page: the messages and the page cursor, as one writer job. Returns whether the
// cursor moved (false: this page was already committed).
bool page_job(gc::store::connection& c, int64_t account) {
  gc::store::email_repo repo{c};
  gc::store::email_accounts_repo acc{c};
  auto a = inbound_email("p1@acme.com", "Page one");
  auto b = inbound_email("p2@acme.com", "Re: Page one");
  b.references = {"<p1@acme.com>"};
  if (!repo.store_message(a, seen(account, "g1", "t1")).ok()) throw std::runtime_error("a");
  if (!repo.store_message(b, seen(account, "g2", "t1")).ok()) throw std::runtime_error("b");
  auto moved = acc.save_full_sync_page(account, std::nullopt, std::string{"next"}, 2);
  if (!moved.ok()) throw std::runtime_error("cursor");
  return *moved;
}

} // namespace

TEST_CASE_METHOD(email_db, "a job rolled back by a crash leaves nothing, its replay commits once",
                 "[store][email][tx]") {
  gc::store::email_accounts_repo acc{db};
  REQUIRE(acc.begin_full_sync(alice, 77).ok());
  const auto empty = gc::test::dump_email_tables(db);
  {
    gc::store::transaction tx{db};
    gc::store::savepoint job{db, "job_1"};
    CHECK(page_job(db, alice));
    job.release();
    // kill -9 before COMMIT: the transaction never reaches the file.
  }
  CHECK(gc::test::dump_email_tables(db) == empty);
  CHECK(acc.account_cursor(alice)->backfill_done == 0);

  {
    gc::store::transaction tx{db};
    gc::store::savepoint job{db, "job_1"};
    CHECK(page_job(db, alice));
    job.release();
    tx.commit();
  }
  const auto once = gc::test::dump_email_tables(db);
  CHECK(count("emails") == 2);
  CHECK(count("email_threads") == 1);
  auto c = *acc.account_cursor(alice);
  CHECK(c.full_sync_page_token == "next");
  CHECK(c.backfill_done == 2);

  // The same job delivered twice (the reply was lost after COMMIT): the data is unchanged and
  // the page cursor refuses to count it again.
  {
    gc::store::transaction tx{db};
    gc::store::savepoint job{db, "job_1"};
    CHECK_FALSE(page_job(db, alice));
    job.release();
    tx.commit();
  }
  CHECK(gc::test::dump_email_tables(db) == once);
  CHECK(acc.account_cursor(alice)->backfill_done == 2);
}

TEST_CASE_METHOD(email_db, "a failing call inside a job undoes only itself",
                 "[store][email][tx]") {
  gc::store::transaction tx{db};
  gc::store::savepoint job{db, "job_1"};
  auto repo = gc::store::email_repo{db};
  REQUIRE(repo.store_message(inbound_email("ok@acme.com", "fine"), seen(alice, "g1", "t1")).ok());
  auto bad = inbound_email("bad@acme.com", "Re: fine");
  bad.references = {"<ok@acme.com>"};
  bad.links = {{4242, std::nullopt, "exact", "x@y"}};   // no such investor
  CHECK(repo.store_message(bad, seen(alice, "g2", "t1")).error().code == "sqlite");
  job.release();
  tx.commit();
  CHECK(rows(db, "SELECT dedup_key FROM emails") == strings{"ok@acme.com"});
  CHECK(rows(db, "SELECT message_count FROM email_threads") == strings{"1"});
  CHECK(scalar(db, "SELECT count(*) FROM email_thread_keys") == 2);  // gmail + own msgid
}

TEST_CASE("migration 0003 indexes and keys the mail captured before it", "[store][email][tx]") {
  gc::test::temp_dir dir;
  gc::store::connection db{dir.file("crm.db")};
  auto all = gc::store::embedded_migrations();
  std::vector<gc::store::migration> first_two;
  for (const auto& m : all)
    if (m.version <= 2) first_two.push_back(m);
  REQUIRE(gc::store::migrate(db, first_two).ok());
  db.exec(R"(
    INSERT INTO email_accounts (id, email) VALUES (1, 'alice@fund.vc');
    INSERT INTO email_threads (id, subject, message_count) VALUES (5, 'Old', 1);
    INSERT INTO emails (id, dedup_key, thread_id, subject, from_email, from_name, to_json,
      cc_json, snippet, body_text) VALUES (9, 'old@acme.com', 5, 'Old deal', 'lee@acme.com',
      'Lee', '[{"name":"Alice","email":"alice@fund.vc"}]', '[]', 'a snippet', 'legacy body');
    INSERT INTO email_account_messages (account_id, email_id, gmail_message_id,
      gmail_thread_id) VALUES (1, 9, 'g-old', 'gt-old');
  )");
  REQUIRE(gc::store::migrate(db).ok());
  CHECK(rows(db, "SELECT rowid, subject, participants, body, from_addr FROM emails_fts") ==
        strings{"9|Old deal|Lee lee@acme.com Alice alice@fund.vc|legacy body|Lee lee@acme.com"});
  CHECK(rows(db, "SELECT kind, key, thread_id FROM email_thread_keys ORDER BY kind") ==
        strings{"gmail|1:gt-old|5", "msgid|old@acme.com|5"});
  CHECK(db.table_exists("email_thread_keys"));

  // New mail threads onto the old conversation.
  gc::store::email_repo repo{db};
  auto reply = inbound_email("new@fund.vc", "Re: Old deal");
  reply.references = {"<old@acme.com>"};
  auto r = repo.store_message(reply, seen(1, "g-new", "other"));
  REQUIRE(r.ok());
  CHECK(r->thread_id == 5);
  CHECK(rows(db, "SELECT subject, message_count FROM email_threads") == strings{"Old deal|2"});
}

TEST_CASE_METHOD(email_db, "a batch stores and indexes every good message, a failing one undoes only itself",
                 "[store][email][tx][search]") {
  gc::store::transaction tx{db};
  gc::store::savepoint job{db, "job_1"};
  auto repo = gc::store::email_repo{db};
  auto bad = inbound_email("bad@acme.com", "Broken link");
  bad.links = {{4242, std::nullopt, "exact", "x@y"}};  // no such investor
  auto late = inbound_email("late@acme.com", "Metadata first");
  late.body_text.reset();
  late.body_html.reset();
  auto late_full = inbound_email("late@acme.com", "Metadata first");
  late_full.body_text = "the carry waterfall";
  auto reply = inbound_email("reply@acme.com", "Re: First memo");
  reply.references = {"<one@acme.com>"};
  gc::store::email_repo::message_batch batch{{inbound_email("one@acme.com", "First memo"), seen(alice, "g1", "t1")},
                                             {bad, seen(alice, "g2", "t2")},
                                             {late, seen(alice, "g3", "t3")},
                                             {late_full, seen(bob, "g4", "t3")},
                                             {reply, seen(alice, "g5", "t1")}};
  auto out = repo.store_messages(batch);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 5);
  CHECK((*out)[0].ok());
  CHECK((*out)[1].error().code == "sqlite");
  CHECK((*out)[2]->created);
  CHECK((*out)[3]->body_filled);
  job.release();
  tx.commit();
  CHECK(rows(db, "SELECT dedup_key FROM emails ORDER BY id") ==
        strings{"one@acme.com", "late@acme.com", "reply@acme.com"});
  // Thread aggregates are written once per batch, and right.
  CHECK(rows(db, "SELECT message_count, subject FROM email_threads ORDER BY id") ==
        strings{"2|First memo", "1|Metadata first"});
  gc::store::email_search_repo search{db};
  CHECK(search.search_ids("memo")->size() == 2);  // the memo and its reply
  CHECK(search.search_ids("waterfall")->size() == 1);  // the body that arrived later is indexed
  CHECK(search.search_ids("Broken")->empty());          // nothing of the rolled-back message
  CHECK(scalar(db, "SELECT count(*) FROM emails_fts") == 3);
}

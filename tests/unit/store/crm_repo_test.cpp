// store/crm_repo on real SQLite files: CRM rows for the match index, the change fingerprint
// (changes on every relevant insert/update/delete, and only then), data_version, and the
// rematch queries (emails_since, apply_links, emails_needing_body).
#include "email_test_fixture.hpp"
#include "core/clock.hpp"
#include "store/crm_repo.hpp"

#include <catch2/catch.hpp>

using gc::store::crm_repo;
using gc::store::link_rec;

namespace {

struct crm_db : gc::test::email_db {
  uint64_t fp() {
    auto r = crm_repo{db}.fingerprint();
    REQUIRE(r.ok());
    return *r;
  }
  // An email dated `iso` (internal_date from it unless internal is false: then sent_at only).
  int64_t store(const std::string& msgid, const std::string& iso, bool internal = true,
                std::vector<link_rec> links = {}, bool body = false, int64_t account = 0) {
    auto e = gc::test::inbound_email(msgid, msgid);
    e.sent_at = iso;
    e.internal_date_ms = 0;
    if (internal) {
      auto t = gc::core::parse_iso8601(iso);
      REQUIRE(t);
      e.internal_date_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
    }
    e.links = std::move(links);
    if (body) e.body_text = "body";
    auto r = repo().store_message(e, gc::test::seen(account ? account : alice, "g-" + msgid, "t-" + msgid));
    REQUIRE(r.ok());
    return r->email_id;
  }
};

} // namespace

TEST_CASE_METHOD(crm_db, "crm_repo: load reads investors, contacts and our mailboxes",
                 "[store][crm_repo]") {
  db.exec("UPDATE investors SET graveyard = 1 WHERE id = 10;"
          "INSERT INTO investors (id, name, email, domain) VALUES (11, 'Beta', NULL, NULL);"
          "INSERT INTO contacts (id, investor_id, name, email, deleted_at) VALUES "
          "(21, 11, 'Gone', 'gone@beta.io', '2025-01-01T00:00:00Z'), (22, NULL, 'Nobody', NULL, NULL);");
  gc::store::connection ro{path, gc::store::open_mode::read_only};
  auto rows = crm_repo{ro}.load();
  REQUIRE(rows.ok());
  REQUIRE(rows->investors.size() == 2);
  CHECK(rows->investors[0].id == 10);
  CHECK(rows->investors[0].email == "lp@acme.com");
  CHECK(rows->investors[0].domain == "acme.com");
  CHECK(rows->investors[0].graveyard);
  CHECK(rows->investors[1].email.empty());
  CHECK_FALSE(rows->investors[1].graveyard);
  REQUIRE(rows->contacts.size() == 3);
  CHECK(rows->contacts[0].id == 20);
  CHECK(rows->contacts[0].investor_id == 10);
  CHECK_FALSE(rows->contacts[0].deleted);
  CHECK(rows->contacts[1].deleted);
  CHECK_FALSE(rows->contacts[2].investor_id.has_value());
  CHECK(rows->mailbox_addresses == std::vector<std::string>{"alice@fund.vc", "bob@fund.vc"});
  CHECK(rows->fingerprint == *crm_repo{ro}.fingerprint());
  CHECK(rows->fingerprint == fp());  // same data, other connection
}

TEST_CASE_METHOD(crm_db, "crm_repo: the fingerprint changes on every change the index sees",
                 "[store][crm_repo]") {
  const char* changes[] = {
      "INSERT INTO investors (id, name, domain) VALUES (11, 'Beta', 'beta.io')",
      "UPDATE investors SET email = 'new@acme.com' WHERE id = 10",
      "UPDATE investors SET email = NULL WHERE id = 10",
      "UPDATE investors SET domain = 'https://www.acme.com/' WHERE id = 10",
      "UPDATE investors SET graveyard = 1 WHERE id = 10",
      "INSERT INTO contacts (id, investor_id, email) VALUES (21, 10, 'kim@acme.com')",
      "UPDATE contacts SET email = 'LEE@acme.com' WHERE id = 20",
      "UPDATE contacts SET investor_id = NULL WHERE id = 20",
      "UPDATE contacts SET deleted_at = '2025-01-01T00:00:00Z' WHERE id = 20",
      "DELETE FROM contacts WHERE id = 20",
      "DELETE FROM contacts; DELETE FROM investors WHERE id = 10",
      "INSERT INTO email_accounts (email) VALUES ('carol@fund.vc')",
  };
  for (const char* sql : changes) {
    DYNAMIC_SECTION(sql) {
      auto before = fp();
      db.exec(sql);
      CHECK(fp() != before);
    }
  }
}

TEST_CASE_METHOD(crm_db, "crm_repo: the fingerprint ignores everything else",
                 "[store][crm_repo]") {
  auto before = fp();
  db.exec("UPDATE investors SET name = 'Acme Capital II', created_at = 'x' WHERE id = 10;"
          "UPDATE investors SET email = email, domain = domain;"
          "UPDATE contacts SET name = 'Lee P.' WHERE id = 20;"
          "INSERT INTO fundraising_state (investor_id, notes) VALUES (10, 'hello');"
          "INSERT INTO users (id, username) VALUES (9, 'zed');"
          "UPDATE email_accounts SET state = 'incremental', history_id = 42;");
  CHECK(fp() == before);
  db.exec("UPDATE contacts SET deleted_at = '2025-01-01T00:00:00Z' WHERE id = 20;");
  auto after_delete = fp();
  CHECK(after_delete != before);
  db.exec("UPDATE contacts SET deleted_at = '2026-02-02T00:00:00Z' WHERE id = 20;");
  CHECK(fp() == after_delete);    // only deleted or not matters, not when
  store("m1@x", "2025-01-01T00:00:00Z");
  CHECK(fp() == after_delete);    // captured mail is not CRM data
}

TEST_CASE_METHOD(crm_db, "crm_repo: data_version moves only when another connection commits",
                 "[store][crm_repo]") {
  gc::store::connection ro{path, gc::store::open_mode::read_only};
  crm_repo r{ro};
  auto v1 = *r.data_version();
  REQUIRE(r.fingerprint().ok());
  CHECK(*r.data_version() == v1);
  db.exec("UPDATE investors SET name = 'x' WHERE id = 10");
  auto v2 = *r.data_version();
  CHECK(v2 != v1);
  CHECK(*r.data_version() == v2);
}

TEST_CASE("crm_repo: a CRM without the optional columns still loads", "[store][crm_repo]") {
  gc::test::temp_dir dir;
  gc::store::connection c{dir.file("crm.db")};
  c.exec("CREATE TABLE investors (id INTEGER PRIMARY KEY, name TEXT, website TEXT);"
         "CREATE TABLE contacts (id INTEGER PRIMARY KEY, investor_id INTEGER, email TEXT);"
         "CREATE TABLE email_accounts (id INTEGER PRIMARY KEY, email TEXT);"
         "INSERT INTO investors VALUES (1, 'Acme', 'https://www.acme.vc/');"
         "INSERT INTO contacts VALUES (5, 1, 'lee@acme.vc');");
  auto rows = crm_repo{c}.load();
  REQUIRE(rows.ok());
  REQUIRE(rows->investors.size() == 1);
  CHECK(rows->investors[0].domain == "https://www.acme.vc/");
  CHECK(rows->investors[0].email.empty());
  REQUIRE(rows->contacts.size() == 1);
  CHECK_FALSE(rows->contacts[0].deleted);
}

TEST_CASE_METHOD(crm_db, "crm_repo: emails_since filters by date, pages by id and parses "
                 "participants", "[store][crm_repo]") {
  auto old_id = store("old@x", "2024-01-01T00:00:00.000Z");
  auto a = store("a@x", "2024-06-01T00:00:00.000Z");
  auto b = store("b@x", "2024-07-01T00:00:00.000Z", /*internal=*/false);  // sent_at only
  auto c = store("c@x", "2024-08-01T12:00:00.000Z");
  crm_repo r{db};
  auto all = r.emails_since("", 0, 100);
  REQUIRE(all.ok());
  CHECK(all->size() == 4);
  auto p1 = r.emails_since("2024-06-01", 0, 2);
  REQUIRE(p1.ok());
  REQUIRE(p1->size() == 2);
  CHECK((*p1)[0].email_id == a);
  CHECK((*p1)[1].email_id == b);
  auto p2 = r.emails_since("2024-06-01", (*p1)[1].email_id, 2);
  REQUIRE(p2.ok());
  REQUIRE(p2->size() == 1);
  CHECK((*p2)[0].email_id == c);
  CHECK(r.emails_since("2024-06-01", c, 2)->empty());
  CHECK(r.emails_since("2024-08-01T12:00:00+01:00", 0, 10)->size() == 1);  // 11:00Z
  CHECK(old_id < a);

  const auto& p = (*p1)[0].participants;
  CHECK(p.from == "lee@acme.com");
  CHECK(p.to == std::vector<std::string>{"alice@fund.vc", "bob@fund.vc"});
  CHECK(p.cc == std::vector<std::string>{"counsel@lawfirm.example"});
  CHECK(p.bcc.empty());

  db.exec("UPDATE emails SET to_json = 'not json', cc_json = '[1, {\"email\": 5}]' WHERE id = " +
          std::to_string(a));
  auto bad = r.emails_since("2024-06-01", 0, 1);
  REQUIRE(bad.ok());
  CHECK(bad->front().participants.to.empty());
  CHECK(bad->front().participants.cc.empty());
  auto invalid = r.emails_since("last tuesday", 0, 10);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().code == "invalid");
}

TEST_CASE_METHOD(crm_db, "crm_repo: apply_links inserts once and sets is_matched",
                 "[store][crm_repo]") {
  auto id = store("m@x", "2024-06-01T00:00:00Z");
  crm_repo r{db};
  std::vector<link_rec> links{{10, 20, "exact", "lee@acme.com"},
                              {10, std::nullopt, "domain", "ceo@acme.com"}};
  auto first = r.apply_links(id, links);
  REQUIRE(first.ok());
  CHECK(first->links_added == 2);
  CHECK(first->newly_matched);
  CHECK(gc::test::scalar(db, "SELECT is_matched FROM emails WHERE id = " + std::to_string(id)) == 1);
  auto again = r.apply_links(id, links);
  REQUIRE(again.ok());
  CHECK(again->links_added == 0);
  CHECK_FALSE(again->newly_matched);
  CHECK(gc::test::rows(db, "SELECT investor_id, contact_id, match_kind, matched_address FROM "
                           "email_investor_links ORDER BY id") ==
        std::vector<std::string>{"10|20|exact|lee@acme.com", "10|<null>|domain|ceo@acme.com"});

  // An investor or contact deleted since the index was built: no FK failure.
  auto id2 = store("m2@x", "2024-06-01T00:00:00Z");
  auto gone = r.apply_links(id2, {{77, std::nullopt, "domain", "x@gone.io"}, {10, 99, "exact", "z@acme.com"}});
  REQUIRE(gone.ok());
  CHECK(gone->links_added == 1);
  CHECK(gc::test::rows(db, "SELECT investor_id, contact_id FROM email_investor_links WHERE "
                           "email_id = " + std::to_string(id2)) == std::vector<std::string>{"10|<null>"});
  auto none = r.apply_links(store("m3@x", "2024-06-01T00:00:00Z"), {{77, std::nullopt, "domain", "x@gone.io"}});
  REQUIRE(none.ok());
  CHECK_FALSE(none->newly_matched);  // nothing linked: stays unmatched

  CHECK(r.apply_links(424242, links).error().code == "not_found");
  CHECK(r.apply_links(id, {{10, std::nullopt, "fuzzy", "x@acme.com"}}).error().code == "invalid");
}

TEST_CASE_METHOD(crm_db, "crm_repo: emails_needing_body lists matched metadata-only mail "
                 "with a live sighting", "[store][crm_repo]") {
  std::vector<link_rec> l{{10, 20, "exact", "lee@acme.com"}};
  auto meta = store("meta@x", "2024-06-01T00:00:00Z", true, l);
  store("full@x", "2024-06-01T00:00:00Z", true, l, /*body=*/true);
  store("unmatched@x", "2024-06-01T00:00:00Z");
  auto trashed = store("trash@x", "2024-06-01T00:00:00Z", true, l);
  REQUIRE(repo().mark_deleted(alice, "g-trash@x", "trash").ok());
  auto early = store("early@x", "2023-01-01T00:00:00Z", true, l);
  // Seen by both mailboxes; alice's mailbox has sync disabled: bob's sighting is preferred.
  auto both = store("both@x", "2024-06-02T00:00:00Z", true, l);
  REQUIRE(repo().store_message(gc::test::inbound_email("both@x", "both@x"),
                               gc::test::seen(bob, "bob-both", "t")).ok());
  db.exec("UPDATE email_accounts SET sync_enabled = 0 WHERE id = " + std::to_string(alice));

  crm_repo r{db};
  auto need = r.emails_needing_body("2024-01-01", 0, 100);
  REQUIRE(need.ok());
  REQUIRE(need->size() == 2);
  CHECK((*need)[0].email_id == meta);
  CHECK((*need)[0].account_id == alice);
  CHECK((*need)[0].gmail_message_id == "g-meta@x");
  CHECK((*need)[1].email_id == both);
  CHECK((*need)[1].account_id == bob);
  CHECK((*need)[1].gmail_message_id == "bob-both");
  auto page = r.emails_needing_body("", meta, 1);  // paging; "" = no date bound: + early
  REQUIRE(page.ok());
  REQUIRE(page->size() == 1);
  CHECK(page->front().email_id == early);
  CHECK(r.emails_needing_body("", 0, 100)->size() == 3);
  CHECK(r.emails_needing_body("", trashed - 1, 1)->front().email_id == early);  // trash skipped
}

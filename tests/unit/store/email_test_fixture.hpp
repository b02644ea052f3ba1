#pragma once
// Shared setup of the email store tests: a migrated database with two team mailboxes, CRM
// users, an investor, and builders for email/sighting records.
#include "store/email_accounts_repo.hpp"
#include "store/email_repo.hpp"
#include "store/email_search_repo.hpp"
#include "store/migrations.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

namespace gc::test {

struct email_db {
  temp_dir dir;
  std::string path = dir.file("crm.db");
  store::connection db{path};
  int64_t alice = 0, bob = 0;   // email_accounts ids
  int64_t acme = 10;            // investors.id
  int64_t acme_contact = 20;    // contacts.id

  email_db() {
    REQUIRE(store::migrate(db).ok());
    db.exec("INSERT INTO users (id, username, email, name, role, is_active) VALUES "
            "(1, 'alice', 'alice@fund.vc', 'Alice', 'admin', 1), "
            "(2, 'bob', 'Bob@Fund.VC', 'Bob', 'member', 1), "
            "(3, 'carol', 'carol@fund.vc', 'Carol', 'member', 0), "
            "(4, 'dave@fund.vc', NULL, 'Dave', 'member', 1), "
            "(5, 'erin', 'erin@other.com', 'Erin', 'member', 1);"
            "INSERT INTO investors (id, name, email, domain) VALUES "
            "(10, 'Acme Capital', 'lp@acme.com', 'acme.com');"
            "INSERT INTO contacts (id, investor_id, name, email) VALUES "
            "(20, 10, 'Lee Partner', 'lee@acme.com');");
    store::email_accounts_repo accounts{db};
    alice = *accounts.enroll_account("alice@fund.vc");
    bob = *accounts.enroll_account("bob@fund.vc");
  }

  store::email_repo repo() { return store::email_repo{db}; }

  int64_t count(const std::string& table) {
    return scalar(db, "SELECT count(*) FROM " + table);
  }
};

// An inbound email from an Acme contact to both team members, metadata-only unless a body is
// set. The Message-ID doubles as the dedup key.
inline store::email_rec inbound_email(const std::string& msgid, const std::string& subject) {
  store::email_rec e;
  e.dedup_key = msgid;
  e.message_id = "<" + msgid + ">";
  e.subject = subject;
  e.from = {"Lee Partner", "lee@acme.com"};
  e.to = {{"Alice", "alice@fund.vc"}, {"Bob", "bob@fund.vc"}};
  e.cc = {{"Counsel", "counsel@lawfirm.example"}};
  e.sent_at = "2024-10-01T10:00:00.000Z";
  e.internal_date_ms = 1727776800000;  // 2024-10-01T10:00:00Z
  e.snippet = "Quick note on the quarterly numbers";
  e.size_estimate = 4096;
  return e;
}

inline store::sighting_rec seen(int64_t account, const std::string& gmail_id,
                                const std::string& gmail_thread,
                                std::vector<std::string> labels = {"INBOX"}) {
  return {account, gmail_id, gmail_thread, std::move(labels)};
}

// Every row of every email table, for before/after comparisons.
inline std::vector<std::string> dump_email_tables(store::connection& c) {
  std::vector<std::string> out;
  for (const char* q :
       {"SELECT * FROM emails ORDER BY id", "SELECT * FROM email_account_messages ORDER BY id",
        "SELECT * FROM email_threads ORDER BY id",
        "SELECT * FROM email_thread_keys ORDER BY kind, key",
        "SELECT * FROM email_investor_links ORDER BY id",
        "SELECT * FROM email_attachments ORDER BY id",
        "SELECT * FROM email_skipped_messages ORDER BY account_id, gmail_message_id",
        "SELECT rowid, * FROM emails_fts ORDER BY rowid"}) {
    out.push_back(std::string{"-- "} + q);
    for (auto& r : rows(c, q)) out.push_back(std::move(r));
  }
  return out;
}

} // namespace gc::test

// GET /api/email/status against the real server and store (api_fixture): the counts follow
// ingest, dedup, rematch and stored attachments (read from the maintained email_counts row,
// migration 0006), and the body keeps every field of the API.
#include "api_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gc;
using gc::test::api_fixture;

namespace {

void check_counts(api_fixture& f, int64_t emails, int64_t matched, int64_t attachments) {
  auto st = f.get_json("/api/email/status");
  INFO(st.dump());
  CHECK(st["counts"] == json{{"emails", emails}, {"matched", matched}, {"attachments", attachments}});
}

} // namespace

TEST_CASE("status counts: follow ingest, dedup, rematch and stored attachments", "[http][api][status]") {
  api_fixture f;
  check_counts(f, 0, 0, 0);

  auto m1 = test::inbound("m1@acme.com", "Deck", 1000);
  m1.attachments.push_back({"1", "deck.pdf", "application/pdf", "", "att-1", 5});
  m1.attachments.push_back({"2", "terms.pdf", "application/pdf", "", "att-2", 5});
  auto e1 = f.store(m1, test::seen(f.alice, "a1", "t1")).email_id;
  f.store(m1, test::seen(f.bob, "b1", "u1"));  // the same email in a second mailbox
  auto u1 = test::inbound("u1@else.example", "Dinner", 2000, false);
  u1.from = {"Sam", "sam@else.example"};
  auto e2 = f.store(u1, test::seen(f.alice, "a2", "t2")).email_id;
  f.store(test::inbound("u2@else.example", "Lunch", 3000, false), test::seen(f.alice, "a3", "t3"));
  check_counts(f, 3, 1, 0);

  // Rematch (as crm_repo::apply_links writes it) and a stored attachment.
  f.exec("INSERT INTO email_investor_links (email_id, investor_id, match_kind, matched_address) VALUES (" +
         std::to_string(e2) + ", 10, 'domain', 'sam@else.example');"
         "UPDATE emails SET is_matched = 1 WHERE id = " + std::to_string(e2));
  auto ids = f.attachment_ids(e1);
  REQUIRE(ids.size() == 2);
  f.store_file(ids[0], "%PDF-1.4 deck");
  check_counts(f, 3, 2, 1);
  f.store_file(ids[1], "%PDF-1.4 terms");
  check_counts(f, 3, 2, 2);
}

TEST_CASE("status counts: the status body keeps its fields", "[http][api][status]") {
  api_fixture f;
  f.store(test::inbound("m1@acme.com", "Deck", 1000), test::seen(f.alice, "a1", "t1"));
  auto st = f.get_json("/api/email/status", f.member_token);
  INFO(st.dump());
  for (const char* k : {"enabled", "auth_method", "workspace_domain", "quota_costs", "version", "accounts",
                        "counts", "sync_runs", "actors", "quota"})
    CHECK(st.contains(k));
  CHECK(st["enabled"] == true);
  REQUIRE(st["accounts"].is_array());
  CHECK(st["accounts"].size() == 2);
  CHECK(st["counts"] == json{{"emails", 1}, {"matched", 1}, {"attachments", 0}});
  CHECK(st["sync_runs"].is_array());
  REQUIRE(st["actors"].is_array());
  REQUIRE_FALSE(st["actors"].empty());
  CHECK(st["actors"][0]["name"] == "store");
  CHECK(st["actors"][0]["alive"] == true);
  CHECK(st["actors"][0]["restarts"] == 0);
  CHECK(st["actors"][0].contains("last_exit_reason"));
  CHECK(st["quota"].is_null());  // no sync service in this fixture, so no rate limiter
  CHECK_FALSE(st.contains("store_error"));
}

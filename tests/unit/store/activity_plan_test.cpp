// activity_repo chooses its plan by how common the searched words are: a rare search sorts its
// full-text matches, a common one walks the emails newest first and asks the index about a
// chunk of them at a time by rowid ranges (store/activity_walk.hpp). Every plan, with any
// chunking, must list the same emails, in the same order, on the same pages, for every filter.
#include "email_test_fixture.hpp"
#include "store/activity_repo.hpp"

#include <climits>

using gc::store::activity_filter;
using gc::store::detail::walk_tuning;
using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::seen;

namespace {

constexpr int never_common = INT_MAX;

std::vector<int64_t> all_pages(gc::store::connection& db, int common_matches, const activity_filter& f,
                               walk_tuning t = {}, int limit = 7) {
  gc::store::activity_repo repo{db, common_matches, t};
  std::vector<int64_t> ids;
  std::optional<gc::store::page_key> at;
  for (int guard = 0; guard < 100; ++guard) {
    auto p = repo.list(f, limit, at);
    REQUIRE(p.ok());
    for (const auto& it : p->items) ids.push_back(it.id);
    if (!p->next) break;
    at = p->next;
  }
  return ids;
}

// The walk's chunkings: the default; one seek per email (every gap splits a range, one
// candidate per chunk); small ranges and chunks; one range over everything.
const std::vector<std::pair<const char*, walk_tuning>>& tunings() {
  static const std::vector<std::pair<const char*, walk_tuning>> t{
      {"default", {}}, {"seeks", {0, 1, 1}}, {"small", {2, 3, 5}}, {"one range", {INT_MAX, 1000, 1000}}};
  return t;
}

// Every plan lists what the rare-term plan lists.
void check_plans_agree(gc::store::connection& db, const activity_filter& f) {
  const auto sorted = all_pages(db, never_common, f);
  for (const auto& [name, t] : tunings()) {
    INFO("walk " << name);
    CHECK(all_pages(db, 1, f, t) == sorted);   // every search counts as common
  }
}

// 90 emails: shuffled times with ties, three senders (an Acme contact, so linked to Acme; our
// own mailbox, so outbound; an unknown address), in alice's, bob's or both mailboxes.
struct varied_mail : email_db {
  varied_mail() {
    auto r = repo();
    for (int i = 0; i < 90; ++i) {
      auto e = inbound_email("m" + std::to_string(i) + "@acme.com", i % 10 == 3 ? "Waterfall draft" : "Update");
      e.internal_date_ms = 1727776800000 + static_cast<int64_t>((i * 7919) % 61) * 60000;
      if (i % 13 == 0) e.internal_date_ms = 1727776800000;  // ties broken by id
      if (i % 3 == 1) e.from = {"Alice", "alice@fund.vc"};
      if (i % 3 == 2) e.from = {"Pat", "pat@elsewhere.example"};
      if (i % 3 != 2) e.links = {{acme, acme_contact, "exact", "lee@acme.com"}};
      if (i % 4 != 1) REQUIRE(r.store_message(e, seen(alice, "a" + std::to_string(i), "t" + std::to_string(i))).ok());
      if (i % 4 != 0) REQUIRE(r.store_message(e, seen(bob, "b" + std::to_string(i), "u" + std::to_string(i))).ok());
    }
    // Soft-deleted in their only mailbox (a8, b13): listed by no plan; a6 still lives in bob's.
    REQUIRE(*r.mark_deleted(bob, "b13", "trash"));
    REQUIRE(*r.mark_deleted(alice, "a8", "deleted"));
    REQUIRE(*r.mark_deleted(alice, "a6", "spam"));
  }
};

} // namespace

TEST_CASE_METHOD(email_db, "activity search: the common-term plan and the rare-term plan list the same pages",
                 "[store][activity]") {
  auto r = repo();
  for (int i = 0; i < 60; ++i) {
    auto e = inbound_email("m" + std::to_string(i) + "@acme.com", i % 10 == 3 ? "Waterfall draft" : "Update");
    e.internal_date_ms = 1727776800000 + static_cast<int64_t>((i * 7919) % 61) * 60000;  // shuffled, some equal
    if (i % 13 == 0) e.internal_date_ms = 1727776800000;                                   // ties broken by id
    REQUIRE(r.store_message(e, seen(alice, "g" + std::to_string(i), "t" + std::to_string(i))).ok());
  }
  // Two emails soft-deleted in their only mailbox: neither plan lists them.
  REQUIRE(*r.mark_deleted(alice, "g5", "trash"));
  REQUIRE(*r.mark_deleted(alice, "g13", "deleted"));

  for (const char* q : {"quarterly", "waterfall", "lee@acme.com", "nothing-like-this"}) {
    activity_filter f;
    f.query = q;
    INFO(q);
    auto walk = all_pages(db, 1, f);                 // every match counts as common
    auto sorted = all_pages(db, never_common, f);    // never common
    CHECK(walk == sorted);
    if (std::string{q} == "quarterly") CHECK(walk.size() == 58);  // in every snippet, minus 2 deleted
    if (std::string{q} == "waterfall") CHECK(walk.size() == 5);   // 6 subjects, one of them deleted
  }
}

TEST_CASE_METHOD(varied_mail, "activity search: every plan and chunking gives the same pages under every filter",
                 "[store][activity]") {
  std::vector<activity_filter> filters;
  for (const char* q : {"quarterly", "update", "waterfall", "pat@elsewhere.example", "quarterly numbers",
                        "alice update", "nothing-like-this"}) {
    activity_filter f;
    f.query = q;
    filters.push_back(f);
    auto g = f;
    g.direction = "inbound";
    filters.push_back(g);
    g.direction = "outbound";
    filters.push_back(g);
    g = f;
    g.investor_id = acme;
    filters.push_back(g);
    g = f;
    g.account_id = bob;
    filters.push_back(g);
    g.account_id = alice;
    filters.push_back(g);
    g = f;
    g.since_ms = 1727776800000 + 10 * 60000;
    g.until_ms = 1727776800000 + 40 * 60000;
    filters.push_back(g);
    g.investor_id = acme;
    g.account_id = alice;
    g.direction = "inbound";
    filters.push_back(g);
  }
  for (const auto& f : filters) {
    INFO("q=" << f.query << " direction=" << f.direction.value_or("-") << " investor=" << f.investor_id.value_or(0)
              << " account=" << f.account_id.value_or(0) << " since=" << f.since_ms.value_or(0));
    check_plans_agree(db, f);
  }
  activity_filter f;
  f.query = "quarterly";
  CHECK(all_pages(db, never_common, f).size() == 88);  // 90, minus a8 and b13 (only copies); a6 lives in bob's
  for (int limit : {1, 2, 50, 200}) {
    INFO("limit " << limit);
    CHECK(all_pages(db, 1, f, {}, limit) == all_pages(db, never_common, f, {}, limit));
  }
}

TEST_CASE_METHOD(varied_mail, "activity search: a common search pages from its snapshot while mail is stored",
                 "[store][activity]") {
  activity_filter f;
  f.query = "quarterly";
  const auto before = all_pages(db, never_common, f);
  gc::store::activity_repo walk{db, 1, {2, 3, 5}};
  auto first = walk.list(f, 10, std::nullopt);
  REQUIRE(first.ok());
  REQUIRE(first->next);
  auto r = repo();
  for (int i = 0; i < 5; ++i) {  // newer than everything listed: would come first
    auto e = inbound_email("late" + std::to_string(i) + "@acme.com", "Update");
    e.internal_date_ms = 1727776800000 + 3600000;
    REQUIRE(r.store_message(e, seen(alice, "late" + std::to_string(i), "late")).ok());
  }
  std::vector<int64_t> ids;
  for (const auto& it : first->items) ids.push_back(it.id);
  for (auto at = first->next; at;) {
    auto p = walk.list(f, 10, at);
    REQUIRE(p.ok());
    for (const auto& it : p->items) ids.push_back(it.id);
    at = p->next;
  }
  CHECK(ids == before);
}

TEST_CASE_METHOD(email_db, "activity search: the common-term walk streams the time index, it never sorts all mail",
                 "[store][activity]") {
  // Without an investor, every filter combination must read emails_msg_ms in order (so a page
  // costs a chunk of the newest emails) and must not sort: "USE TEMP B-TREE FOR ORDER BY"
  // would mean reading every email first.
  for (int mask = 0; mask < 16; ++mask) {
    for (bool positioned : {false, true}) {
      activity_filter f;
      f.query = "x";
      if (mask & 1) f.account_id = alice;
      if (mask & 2) f.direction = "outbound";
      if (mask & 4) f.since_ms = 1;
      if (mask & 8) f.until_ms = 2;
      const auto sql = gc::store::activity_repo::walk_sql_for_test(f, positioned);
      auto st = db.prepare("EXPLAIN QUERY PLAN " + sql);
      std::vector<std::string> steps;
      while (st.step()) steps.push_back(st.text(3));
      INFO("mask " << mask << " positioned " << positioned);
      REQUIRE(!steps.empty());
      CHECK(steps.front().find("emails_msg_ms") != std::string::npos);
      for (const auto& s : steps) {
        INFO(s);
        CHECK(s.find("TEMP B-TREE") == std::string::npos);
      }
    }
  }
}

TEST_CASE("activity walk: chunks are sized by the density the walk has seen", "[store][activity]") {
  using gc::store::detail::next_chunk;
  const walk_tuning t{};  // max_chunk 4096
  // Unknown density: twice the larger of the last chunk and what is missing.
  CHECK(next_chunk(51, 0, 51, t) == 102);
  CHECK(next_chunk(10, 0, 400, t) == 800);
  // Known density: what is missing over the density, a quarter to spare; 40% -> one chunk
  // of 159 finds the 51 matches of a page (2 x 51 = 102 candidates would find ~41).
  CHECK(next_chunk(51, 0.4, 0, t) == 159);
  CHECK(next_chunk(51, 1.0, 0, t) == 63);
  // Bounds: never fewer candidates than matches missing, never more than max_chunk.
  CHECK(next_chunk(51, 0.001, 0, t) == 4096);
  CHECK(next_chunk(5000, 0.5, 0, t) == 4096);
  CHECK(next_chunk(3, 0, 1, walk_tuning{0, 1, 1}) == 1);
}

TEST_CASE_METHOD(varied_mail, "activity search: a remembered density gives the same pages",
                 "[store][activity]") {
  // The first listing remembers how many candidates matched; listing again sizes its chunks
  // by it. Both listings, with each filter, equal the rare-term plan's.
  for (const activity_filter& f : {activity_filter{.query = "waterfall"},
                                   activity_filter{.investor_id = acme, .query = "update"},
                                   activity_filter{.direction = "outbound", .query = "update"}}) {
    const auto sorted = all_pages(db, never_common, f);
    CHECK(all_pages(db, 1, f) == sorted);
    CHECK(all_pages(db, 1, f) == sorted);
  }
}

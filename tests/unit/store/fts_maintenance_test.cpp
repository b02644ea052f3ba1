// store/fts_maintenance: the segment count read from FTS5's structure record, and the merge
// that the store writer runs when the full-text index has grown fragmented.
#include "email_test_fixture.hpp"
#include "store/fts_maintenance.hpp"

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::seen;

namespace {

// Every word searched, with the rowids it finds, one row per match.
std::vector<std::string> search_all(gc::store::connection& db) {
  std::vector<std::string> out;
  for (const char* w : {"quarterly", "waterfall", "update", "lee", "acme", "counsel"})
    for (auto& r : rows(db, std::string{"SELECT '"} + w + "', rowid FROM emails_fts WHERE emails_fts MATCH '" +
                                w + "' ORDER BY rowid"))
      out.push_back(std::move(r));
  return out;
}

} // namespace

TEST_CASE_METHOD(email_db, "fts maintenance: an index never written has no segment",
                 "[store][fts]") {
  auto n = gc::store::fts_segments(db);
  REQUIRE(n.ok());
  CHECK(*n == 0);
}

TEST_CASE_METHOD(email_db, "fts maintenance: commits leave several segments; optimize merges "
                 "them into one and every search finds the same mail", "[store][fts]") {
  auto r = repo();
  // Each store_message outside a transaction is its own commit, so its own FTS5 segment;
  // FTS5 merges only four of a size into one, so 14 commits leave several.
  for (int i = 0; i < 14; ++i) {
    auto e = inbound_email("m" + std::to_string(i) + "@acme.com", i % 3 == 0 ? "Waterfall draft" : "Update");
    REQUIRE(r.store_message(e, seen(alice, "a" + std::to_string(i), "t" + std::to_string(i))).ok());
  }
  auto before = gc::store::fts_segments(db);
  REQUIRE(before.ok());
  CHECK(*before >= 3);
  const auto found = search_all(db);
  CHECK(found.size() == 14 * 4 + 5 + 9);  // quarterly, lee, acme, counsel: all; waterfall 5, update 9

  // Level merges (usermerge 2, migration 0009): the small segments of one level become one.
  REQUIRE(gc::store::fts_merge_levels(db, 2000).ok());
  auto levels = gc::store::fts_segments(db);
  REQUIRE(levels.ok());
  CHECK(*levels < *before);
  CHECK(search_all(db) == found);

  REQUIRE(gc::store::fts_optimize(db).ok());
  auto after = gc::store::fts_segments(db);
  REQUIRE(after.ok());
  CHECK(*after == 1);
  CHECK(search_all(db) == found);
  CHECK(rows(db, "INSERT INTO emails_fts (emails_fts) VALUES ('integrity-check')").empty());

  // New mail after the merge: a new segment beside the merged one, and still found.
  REQUIRE(r.store_message(inbound_email("late@acme.com", "Waterfall late"), seen(bob, "b1", "u1")).ok());
  CHECK(*gc::store::fts_segments(db) == 2);
  CHECK(rows(db, "SELECT count(*) FROM emails_fts WHERE emails_fts MATCH 'waterfall'") ==
        std::vector<std::string>{"6"});
}

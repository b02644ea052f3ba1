// activity_repo chooses its plan by how common the searched words are: both plans must list the
// same emails, in the same order, on the same pages.
#include "email_test_fixture.hpp"
#include "store/activity_repo.hpp"

using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::seen;

namespace {

std::vector<int64_t> all_pages(gc::store::connection& db, int common_matches, const gc::store::activity_filter& f) {
  gc::store::activity_repo repo{db, common_matches};
  std::vector<int64_t> ids;
  std::optional<gc::store::page_key> at;
  for (int guard = 0; guard < 100; ++guard) {
    auto p = repo.list(f, 7, at);
    REQUIRE(p.ok());
    for (const auto& it : p->items) ids.push_back(it.id);
    if (!p->next) break;
    at = p->next;
  }
  return ids;
}

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
    gc::store::activity_filter f;
    f.query = q;
    INFO(q);
    auto walk = all_pages(db, 1, f);                 // every match counts as common
    auto sorted = all_pages(db, 1000000, f);         // never common
    CHECK(walk == sorted);
    if (std::string{q} == "quarterly") CHECK(walk.size() == 58);  // in every snippet, minus 2 deleted
    if (std::string{q} == "waterfall") CHECK(walk.size() == 5);   // 6 subjects, one of them deleted
  }
}

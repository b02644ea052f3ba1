#include "email_test_fixture.hpp"

using gc::store::fts_query;
using gc::test::email_db;
using gc::test::inbound_email;
using gc::test::rows;
using gc::test::seen;
using ids = std::vector<int64_t>;

TEST_CASE("free text becomes a safe FTS5 query", "[store][search]") {
  CHECK(fts_query("term sheet") == "\"term\" \"sheet\"");
  CHECK(fts_query("  lee@acme.com ") == "\"lee@acme.com\"");
  CHECK(fts_query("say \"hi\"") == "\"say\" \"\"\"hi\"\"\"");
  CHECK(fts_query("a OR b NOT c*") == "\"a\" \"OR\" \"b\" \"NOT\" \"c*\"");
  CHECK(fts_query("@ -- \" ") == "");
  CHECK(fts_query("") == "");
  CHECK(fts_query("Zürich") == "\"Zürich\"");
}

TEST_CASE_METHOD(email_db, "search finds emails by subject, participant and body",
                 "[store][email][search]") {
  auto r = repo();
  gc::store::email_search_repo search{db};
  auto deck = inbound_email("deck@acme.com", "Series B deck");
  deck.body_text = "The valuation cap moved to forty million.";
  auto intro = inbound_email("intro@fund.vc", "Introduction");
  intro.from = {"Alice", "alice@fund.vc"};
  intro.to = {{"Priya Raman", "priya@zeta-ventures.example"}};
  intro.cc = {};
  intro.snippet = "Meet Priya";
  auto a = r.store_message(deck, seen(alice, "a1", "t1"))->email_id;
  auto b = r.store_message(intro, seen(alice, "a2", "t2"))->email_id;

  CHECK(*search.search_ids("series deck") == ids{a});
  CHECK(*search.search_ids("SERIES") == ids{a});               // case-insensitive
  CHECK(*search.search_ids("priya@zeta-ventures.example") == ids{b});
  CHECK(*search.search_ids("zeta-ventures.example") == ids{b});
  CHECK(*search.search_ids("Raman") == ids{b});
  CHECK(*search.search_ids("valuation") == ids{a});
  CHECK(*search.search_ids("counsel@lawfirm.example") == ids{a});  // cc
  CHECK(search.search_ids("valuation introduction")->empty());  // all words must match
  CHECK(search.search_ids("")->empty());
  CHECK(search.search_ids("\"unbalanced")->empty());            // no syntax error
  CHECK(search.search_ids("NEAR(")->empty());
  auto both = *search.search_ids("fund.vc");                    // alice is in both
  CHECK(both.size() == 2);
  CHECK(search.search_ids("fund.vc", 1)->size() == 1);
  CHECK(rows(db, "SELECT rowid, from_addr FROM emails_fts ORDER BY rowid") ==
        std::vector<std::string>{std::to_string(a) + "|Lee Partner lee@acme.com",
                                 std::to_string(b) + "|Alice alice@fund.vc"});
}

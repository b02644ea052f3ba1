// GET /api/email/activity and /activity/investors (seed 004) against the real server and
// store (api_fixture): roles, the seed's semantics, free text, dates and bad input.
#include "api_fixture.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace gc;
using gc::test::api_fixture;

namespace {

std::vector<int64_t> ids_of(const json& page) {
  std::vector<int64_t> out;
  for (const auto& it : page["items"]) out.push_back(it["id"].get<int64_t>());
  return out;
}

// e1 in both mailboxes, trashed in alice's; e2 only in alice's, trashed; e3 outbound from
// alice; e4 from the graveyard investor's contact; e5 unmatched, metadata-only; e6 from an
// address of a mailbox enrolled later.
struct seeded {
  api_fixture f;
  int64_t e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0;
  seeded() {
    e1 = f.store(test::inbound("e1@acme.com", "Quarterly numbers", 1000), test::seen(f.alice, "a1", "t1")).email_id;
    f.store(test::inbound("e1@acme.com", "Quarterly numbers", 1000), test::seen(f.bob, "b1", "u1"));
    f.mark_deleted(f.alice, "a1");
    e2 = f.store(test::inbound("e2@acme.com", "Spammy pitch", 2000), test::seen(f.alice, "a2", "t2")).email_id;
    f.mark_deleted(f.alice, "a2", "spam");
    auto out = test::outbound("e3@fund.vc", "Re: Quarterly numbers", 3000);
    out.from.email = "ALICE@Fund.VC";  // the rule ignores case
    e3 = f.store(out, test::seen(f.bob, "b3", "u3")).email_id;  // no SENT label in bob's copy
    auto old = test::inbound("e4@oldvc.com", "Graveyard memo", 4000, false);
    old.from = {"Olga Old", "olga@oldvc.com"};
    old.body_text = "Archive";
    old.links = {{api_fixture::oldvc, api_fixture::oldvc_contact, "exact", "olga@oldvc.com"}};
    e4 = f.store(old, test::seen(f.alice, "a4", "t4")).email_id;
    auto unmatched = test::inbound("e5@else.example", "Dinner plans", 5000, false);
    unmatched.from = {"Sam", "sam@else.example"};
    unmatched.snippet = "tapas tonight";
    e5 = f.store(unmatched, test::seen(f.alice, "a5", "t5")).email_id;
    auto carol = test::inbound("e6@fund.vc", "From carol", 6000);
    carol.from = {"Carol", "carol@fund.vc"};
    e6 = f.store(carol, test::seen(f.alice, "a6", "t6")).email_id;
  }
  std::vector<int64_t> ids(const std::string& query) { return ids_of(f.get_json("/api/email/activity" + query)); }
};

} // namespace

TEST_CASE("activity: admin only, 401 without a token, 503 while the integration is off", "[http][api][activity]") {
  api_fixture f;
  for (const char* t : {"/api/email/activity", "/api/email/activity/investors"}) {
    CHECK(f.get(t, "").status == 401);
    auto m = f.get(t, f.member_token);
    CHECK(m.status == 403);
    CHECK(json::parse(m.body)["error"]["code"] == "forbidden");
    CHECK(f.get(t).status == 200);
  }
  api_fixture off{false};
  CHECK(off.get("/api/email/activity").status == 503);
}

TEST_CASE("activity: live iff some sighting is not deleted, the account filter uses that mailbox's sighting",
          "[http][api][activity]") {
  seeded s;
  CHECK(s.ids("") == std::vector<int64_t>{s.e6, s.e5, s.e4, s.e3, s.e1});  // e2 deleted everywhere
  CHECK(s.ids("?account_id=" + std::to_string(s.f.bob)) == std::vector<int64_t>{s.e3, s.e1});
  auto alice = s.ids("?account_id=" + std::to_string(s.f.alice));
  CHECK(std::find(alice.begin(), alice.end(), s.e1) == alice.end());  // trashed in alice's mailbox
  CHECK(s.ids("?q=spammy").empty());
  auto item = s.f.get_json("/api/email/activity?account_id=" + std::to_string(s.f.bob))["items"][1];
  CHECK(item["id"] == s.e1);
  CHECK(item["mailboxes"] == json::array({{{"account_id", s.f.bob}, {"email", "bob@fund.vc"}}}));
  CHECK(item["investors"][0]["investor_id"] == api_fixture::acme);
  CHECK(item["from"]["email"] == "lee@acme.com");
  CHECK(item["date"] == "1970-01-01T00:00:01.000Z");
}

TEST_CASE("activity: direction is decided per email from our mailbox addresses", "[http][api][activity]") {
  seeded s;
  CHECK(s.ids("?direction=outbound") == std::vector<int64_t>{s.e3});
  CHECK(s.ids("?direction=inbound") == std::vector<int64_t>{s.e6, s.e5, s.e4, s.e1});
  // carol@fund.vc becomes one of our mailboxes: her mail is outbound from now on.
  s.f.exec("INSERT INTO email_accounts (email) VALUES ('carol@fund.vc')");
  CHECK(s.ids("?direction=outbound") == std::vector<int64_t>{s.e6, s.e3});
  CHECK(s.f.get_json("/api/email/activity?direction=outbound")["items"][0]["direction"] == "outbound");
}

TEST_CASE("activity: graveyard investors leave the dropdown, their mail stays listed and findable",
          "[http][api][activity]") {
  seeded s;
  auto inv = s.f.get_json("/api/email/activity/investors")["investors"];
  REQUIRE(inv.size() == 2);
  CHECK(inv[0] == json{{"id", api_fixture::acme}, {"name", "Acme Capital"}, {"has_email", true}});
  CHECK(inv[1] == json{{"id", api_fixture::beta}, {"name", "Beta Partners"}, {"has_email", false}});
  CHECK(s.ids("?investor_id=11") == std::vector<int64_t>{s.e4});
  CHECK(s.ids("?q=olga") == std::vector<int64_t>{s.e4});
  CHECK(s.ids("?q=graveyard%20memo") == std::vector<int64_t>{s.e4});
  auto item = s.f.get_json("/api/email/activity?investor_id=11")["items"][0];
  CHECK(item["investors"][0]["graveyard"] == true);
  CHECK(item["investors"][0]["name"] == "Old Ventures");
  CHECK(s.ids("?investor_id=10") == std::vector<int64_t>{s.e6, s.e3, s.e1});
}

TEST_CASE("activity: free text over subject, snippet and sender, user syntax is never an error",
          "[http][api][activity]") {
  seeded s;
  CHECK(s.ids("?q=quarterly") == std::vector<int64_t>{s.e3, s.e1});
  CHECK(s.ids("?q=tapas") == std::vector<int64_t>{s.e5});            // snippet of metadata-only mail
  CHECK(s.ids("?q=lee%40acme.com") == std::vector<int64_t>{s.e1});   // sender address
  CHECK(s.ids("?q=bob%40fund.vc").empty());                          // recipients are not searched
  CHECK(s.ids("?q=quarterly&direction=inbound") == std::vector<int64_t>{s.e1});
  for (const char* q : {"%22unbalanced", "quarterly%20AND%20(", "NEAR(quarterly", "col%3Aquarterly", "quart*%20-x%20%5E"})
    CHECK(s.f.get("/api/email/activity?q=" + std::string{q}).status == 200);
  CHECK(s.ids("?q=%20%20").size() == 5);  // blank = no text filter
}

TEST_CASE("activity: since is inclusive, until exclusive, ISO-8601 with offsets", "[http][api][activity]") {
  seeded s;
  CHECK(s.ids("?since=1970-01-01T00:00:03Z") == std::vector<int64_t>{s.e6, s.e5, s.e4, s.e3});
  CHECK(s.ids("?until=1970-01-01T00:00:03Z") == std::vector<int64_t>{s.e1});
  CHECK(s.ids("?since=1970-01-01T01:00:03%2B01:00&until=1970-01-01T00:00:05Z") ==
        std::vector<int64_t>{s.e4, s.e3});
  CHECK(s.ids("?since=2030-01-01").empty());
}

TEST_CASE("activity: every bad parameter is a 400 naming it, never SQL text", "[http][api][activity]") {
  seeded s;
  struct bad { const char* query; const char* param; };
  for (auto [query, param] : {bad{"since=yesterday", "since"}, bad{"since=2024-13-01", "since"},
                              bad{"until=2024-01-01T25:00Z", "until"},
                              bad{"since=2024-02-01&until=2024-01-01", "until"},
                              bad{"direction=sideways", "direction"}, bad{"direction=", "direction"},
                              bad{"limit=0", "limit"}, bad{"limit=201", "limit"}, bad{"limit=-5", "limit"},
                              bad{"limit=1e3", "limit"}, bad{"investor_id=acme", "investor_id"},
                              bad{"account_id=1.5", "account_id"}, bad{"account_id=", "account_id"},
                              bad{"cursor=%%%", "cursor"}, bad{"cursor=bm90IGEgY3Vyc29y", "cursor"},
                              bad{"q=***", "q"}, bad{"q=%22%22%20()", "q"}}) {
    auto r = s.f.get("/api/email/activity?" + std::string{query});
    INFO(query << " -> " << r.status << " " << r.body);
    if (std::string{query} == "cursor=%%%") {
      CHECK(r.status == 400);  // broken percent-encoding: the router refuses the target
      continue;
    }
    CHECK(r.status == 400);
    auto j = json::parse(r.body);
    CHECK(j["error"]["code"] == "bad_parameter");
    CHECK(j["error"]["parameter"] == param);
    CHECK(j["error"]["message"].get<std::string>().rfind(std::string{param} + ":", 0) == 0);
    CHECK(r.body.find("sqlite") == std::string::npos);
    CHECK(r.body.find("SELECT") == std::string::npos);
  }
  CHECK(s.f.get("/api/email/activity?q=" + std::string(501, 'a')).status == 400);
  // A cursor of the threads listing is refused here.
  for (int i = 0; i < 3; ++i)
    s.f.store(test::inbound("x" + std::to_string(i) + "@acme.com", "More", 100 + i), test::seen(s.f.bob, "x" + std::to_string(i), "ux" + std::to_string(i)));
  auto threads = s.f.get_json("/api/email/threads?investor_id=10&limit=1");
  REQUIRE(threads["next_cursor"].is_string());
  auto r = s.f.get("/api/email/activity?cursor=" + threads["next_cursor"].get<std::string>());
  CHECK(r.status == 400);
  CHECK(json::parse(r.body)["error"]["parameter"] == "cursor");
}

// matcher_index rematch on the real scheduler (finite timeouts), against a real SQLite file
// with emails stored through store::email_repo, writing through a real store_writer (given
// directly, and looked up through the supervisor).
#include "actors/matcher_index.hpp"
#include "actors/supervisor.hpp"
#include "unit/store/email_test_fixture.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using gc::actors::matcher_index_actor;
using gc::actors::matcher_stats;
using gc::actors::rematch_result;

namespace {

struct rematch_fixture : gc::test::email_db {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::vector<caf::actor> to_stop;

  rematch_fixture() {
    cfg.add_message_types<caf::id_block::gc>();
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  ~rematch_fixture() {
    for (auto& a : to_stop) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    to_stop.clear();  // a detached actor's thread ends only once no strong handle is left
    sys.reset();      // waits for every actor
  }
  gc::actors::matcher_index_options options() {
    gc::actors::matcher_index_options o;
    o.db_path = path;
    o.workspace_domain = "fund.vc";
    o.page_size = 2;  // several pages
    return o;
  }
  matcher_index_actor spawn_direct() {
    auto w = gc::actors::spawn_store_writer(*sys, {path});
    auto o = options();
    o.writer = w;
    auto mi = gc::actors::spawn_matcher_index(*sys, o);
    to_stop.push_back(caf::actor_cast<caf::actor>(mi));
    to_stop.push_back(caf::actor_cast<caf::actor>(w));
    return mi;
  }
  caf::expected<rematch_result> rematch(const matcher_index_actor& mi, const std::string& since) {
    caf::scoped_actor self{*sys};
    caf::expected<rematch_result> out{caf::error{}};
    self->request(mi, 30s, gc::actors::rematch_atom_v, since)
      .receive([&](rematch_result& r) { out = std::move(r); }, [&](caf::error& e) { out = e; });
    return out;
  }
  // An email stored metadata-only without links, as the syncer does for unmatched mail.
  int64_t store(const std::string& msgid, const std::string& from, std::vector<gc::store::link_rec> links = {},
                int64_t internal_ms = 1727776800000) {
    auto e = gc::test::inbound_email(msgid, "s");
    e.from = {"", from};
    e.internal_date_ms = internal_ms;
    e.links = std::move(links);
    if (!e.links.empty()) e.body_text = "hello";
    auto r = repo().store_message(e, gc::test::seen(alice, "g-" + msgid, "t-" + msgid));
    REQUIRE(r.ok());
    return r->email_id;
  }
  int64_t matched(int64_t id) {
    return gc::test::scalar(db, "SELECT is_matched FROM emails WHERE id = " + std::to_string(id));
  }
};

} // namespace

TEST_CASE_METHOD(rematch_fixture, "matcher_index: rematch links past mail, sets is_matched and "
                 "lists the bodies to fetch", "[actors][matcher_index][rematch]") {
  // inbound_email() also has counsel@lawfirm.example in cc: never matched.
  auto lee = store("m1@x", "Lee@Acme.com");                 // contact, not linked at capture
  auto newfund = store("m2@x", "ceo@newfund.io");           // investor added below
  auto personal = store("m3@x", "friend@gmail.com");        // stays unmatched
  auto linked = store("m4@x", "lee@acme.com", {{10, 20, "exact", "lee@acme.com"}});  // has body
  auto old = store("m5@x", "lee@acme.com", {}, 1577836800000);                       // 2020
  auto own = store("m6@x", "bob@fund.vc");                  // to alice & bob, cc counsel
  db.exec("INSERT INTO investors (id, name, domain, graveyard) VALUES "
          "(11, 'NewFund', 'https://www.newfund.io/', 1)");  // graveyard: still matched
  auto mi = spawn_direct();

  auto r = rematch(mi, "2024-01-01");
  REQUIRE(r);
  CHECK(r->scanned == 5);
  CHECK(r->matched == 3);
  CHECK(r->newly_matched == 2);
  CHECK(r->links_added == 2);
  REQUIRE(r->needing_body.size() == 2);
  CHECK(r->needing_body[0].email_id == lee);
  CHECK(r->needing_body[0].account_id == alice);
  CHECK(r->needing_body[0].gmail_message_id == "g-m1@x");
  CHECK(r->needing_body[1].email_id == newfund);
  CHECK(matched(lee) == 1);
  CHECK(matched(newfund) == 1);
  CHECK(matched(personal) == 0);
  CHECK(matched(own) == 0);
  CHECK(matched(old) == 0);  // before since
  CHECK(gc::test::rows(db, "SELECT email_id, investor_id, coalesce(contact_id, '-'), match_kind, "
                           "matched_address FROM email_investor_links ORDER BY email_id") ==
        std::vector<std::string>{std::to_string(lee) + "|10|20|exact|lee@acme.com",
                                 std::to_string(newfund) + "|11|-|domain|ceo@newfund.io",
                                 std::to_string(linked) + "|10|20|exact|lee@acme.com"});

  auto again = rematch(mi, "2024-01-01");  // idempotent
  REQUIRE(again);
  CHECK(again->scanned == 5);
  CHECK(again->newly_matched == 0);
  CHECK(again->links_added == 0);
  CHECK(again->needing_body.size() == 2);  // still metadata-only until a syncer fetches

  auto all = rematch(mi, "");
  REQUIRE(all);
  CHECK(all->scanned == 6);
  CHECK(all->newly_matched == 1);
  CHECK(matched(old) == 1);
  CHECK(all->needing_body.size() == 3);

  auto bad = rematch(mi, "yesterday");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == caf::sec::invalid_argument);
}

TEST_CASE_METHOD(rematch_fixture, "matcher_index: rematch uses CRM rows added just before it, "
                 "the writer is found through the supervisor", "[actors][matcher_index][rematch]") {
  auto e = store("m1@x", "partner@latefund.vc");
  std::vector<gc::actors::child_spec> children;
  children.push_back({gc::actors::store_writer_name, [p = path](caf::local_actor* parent) {
                        return gc::actors::spawn_store_writer(parent, {p});
                      }});
  auto o = options();
  o.check_interval = 1h;  // the periodic check will not run during the test
  children.push_back({gc::actors::matcher_index_name, [o](caf::local_actor* parent) {
                        return gc::actors::spawn_matcher_index(parent, o);
                      }});
  auto sup = gc::actors::spawn_supervisor(*sys, std::move(children));
  to_stop.push_back(sup);
  caf::scoped_actor self{*sys};
  matcher_index_actor mi;
  self->request(sup, 10s, caf::get_atom_v, std::string{gc::actors::matcher_index_name})
    .receive([&](caf::actor& a) { mi = caf::actor_cast<matcher_index_actor>(a); },
             [&](caf::error& err) { FAIL(caf::to_string(err)); });
  REQUIRE(mi);
  // Wait for the initial build, then change the CRM: only the pre-rematch check can see it.
  self->request(mi, 10s, gc::actors::stats_atom_v)
    .receive([&](matcher_stats& s) { CHECK(s.generation == 1); },
             [&](caf::error& err) { FAIL(caf::to_string(err)); });
  db.exec("INSERT INTO investors (id, name, email) VALUES (12, 'Late Fund', 'partner@latefund.vc')");
  auto r = rematch(mi, "");
  REQUIRE(r);
  CHECK(r->newly_matched == 1);
  REQUIRE(r->needing_body.size() == 1);
  CHECK(r->needing_body[0].email_id == e);
  CHECK(matched(e) == 1);
}

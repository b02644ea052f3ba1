// matcher_index: snapshots and change-driven rebuilds on CAF's deterministic scheduler (the
// periodic check is a delayed_send: the test clock fires it), against a real SQLite file.
// Rematch: matcher_rematch_test.cpp.
#include "actors/matcher_index.hpp"
#include "actors/matcher_index_state.hpp"  // complete state type: spawned here, not detached
#include "core/matching.hpp"
#include "unit/store/email_test_fixture.hpp"

#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using gc::actors::match_snapshot;
using gc::actors::matcher_index_actor;
using gc::actors::matcher_stats;

namespace {

bool matches(const match_snapshot& s, const std::string& address) {
  return s && !s->match_addresses({address}).empty();
}

// The email_db fixture (migrated CRM db: Acme 10 with contact lee@acme.com 20; mailboxes
// alice@ and bob@fund.vc) with a matcher_index on the deterministic scheduler.
struct det_fixture : gc::test::email_db {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::unique_ptr<caf::scoped_actor> self;
  matcher_index_actor mi;

  det_fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::gc>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    self = std::make_unique<caf::scoped_actor>(*sys);
  }
  ~det_fixture() {
    if (mi) (*self)->send_exit(mi, caf::exit_reason::user_shutdown);
    self.reset();
    sched->run();
  }
  void spawn(caf::timespan interval = 30s, std::string db_path = {}) {
    gc::actors::matcher_index_options o;
    o.db_path = db_path.empty() ? path : db_path;
    o.workspace_domain = "fund.vc";
    o.check_interval = interval;
    mi = sys->spawn(gc::actors::matcher_index, o);  // not detached: the test scheduler runs it
    sched->run();
  }
  caf::expected<match_snapshot> try_snapshot() {
    auto h = (*self)->request(mi, caf::infinite, caf::get_atom_v);
    sched->run();
    caf::expected<match_snapshot> out{caf::error{}};
    h.receive([&](match_snapshot& s) { out = s; }, [&](caf::error& e) { out = e; });
    return out;
  }
  match_snapshot snapshot() {
    auto s = try_snapshot();
    REQUIRE(s);
    REQUIRE(*s);
    return *s;
  }
  template <class Atom>
  matcher_stats ask_stats(Atom atom) {
    auto h = (*self)->request(mi, caf::infinite, atom);
    sched->run();
    matcher_stats out;
    h.receive([&](matcher_stats& s) { out = s; }, [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  matcher_stats stats() { return ask_stats(gc::actors::stats_atom_v); }
  void advance(caf::timespan d) {
    sched->clock().advance_time(d);
    sched->run();
  }
};

} // namespace

TEST_CASE_METHOD(det_fixture, "matcher_index: builds at start and hands out snapshots",
                 "[actors][matcher_index]") {
  spawn();
  auto s = snapshot();
  CHECK(s->match_addresses({"lee@acme.com"}) ==
        std::vector<gc::core::investor_link>{{10, 20, gc::core::match_kind::exact, "lee@acme.com"}});
  CHECK(matches(s, "ceo@acme.com"));
  CHECK_FALSE(matches(s, "alice@fund.vc"));  // own mailbox
  auto st = stats();
  CHECK(st.generation == 1);
  CHECK(st.investors == 1);
  CHECK(st.contacts == 1);
  CHECK(st.domains == 1);
  CHECK(st.last_error.empty());
  CHECK_FALSE(st.built_at.empty());
  CHECK(snapshot() == s);  // same snapshot while nothing changed
}

TEST_CASE_METHOD(det_fixture, "matcher_index: the periodic check rebuilds after a CRM change, "
                 "and only then", "[actors][matcher_index]") {
  spawn(30s);
  auto before = snapshot();
  db.exec("INSERT INTO investors (id, name, domain) VALUES (11, 'Beta', 'https://www.beta.io/')");
  advance(29s);
  CHECK_FALSE(matches(snapshot(), "ceo@beta.io"));  // not yet checked
  advance(1s);
  auto after = snapshot();
  CHECK(matches(after, "ceo@beta.io"));
  CHECK_FALSE(matches(before, "ceo@beta.io"));  // an old snapshot never changes
  auto st = stats();
  CHECK(st.generation == 2);
  CHECK(st.checks == 2);
  CHECK(st.hashed == 1);

  advance(30s);  // nothing committed anywhere: no hashing at all
  st = stats();
  CHECK(st.checks == 3);
  CHECK(st.hashed == 1);
  CHECK(st.generation == 2);

  db.exec("UPDATE investors SET name = 'Beta Capital' WHERE id = 11");  // not matcher data
  advance(30s);
  st = stats();
  CHECK(st.hashed == 2);
  CHECK(st.generation == 2);
  CHECK(snapshot() == after);

  db.exec("UPDATE contacts SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = 20");
  advance(30s);
  CHECK(stats().generation == 3);
  auto links = snapshot()->match_addresses({"lee@acme.com"});
  REQUIRE(links.size() == 1);
  CHECK(links[0].kind == gc::core::match_kind::domain);  // the contact is gone
}

TEST_CASE_METHOD(det_fixture, "matcher_index: enrolling a mailbox rebuilds (own addresses)",
                 "[actors][matcher_index]") {
  db.exec("UPDATE investors SET email = 'carol@fund.vc' WHERE id = 10");
  spawn(30s);
  CHECK(matches(snapshot(), "carol@fund.vc"));  // exact on the workspace domain is allowed...
  REQUIRE(gc::store::email_accounts_repo{db}.enroll_account("carol@fund.vc").ok());
  advance(30s);
  CHECK_FALSE(matches(snapshot(), "carol@fund.vc"));  // ...until it is one of our mailboxes
}

TEST_CASE_METHOD(det_fixture, "matcher_index: an explicit rebuild always rebuilds, no timer "
                 "with interval 0", "[actors][matcher_index]") {
  spawn(caf::timespan{0});
  CHECK(sched->clock().schedule().empty());
  db.exec("INSERT INTO investors (id, name, domain) VALUES (11, 'Beta', 'beta.io')");
  advance(1h);
  CHECK_FALSE(matches(snapshot(), "x@beta.io"));
  auto st = ask_stats(gc::actors::rebuild_atom_v);
  CHECK(st.generation == 2);
  CHECK(st.investors == 2);
  CHECK(matches(snapshot(), "x@beta.io"));
  CHECK(ask_stats(gc::actors::rebuild_atom_v).generation == 3);  // even without a change
}

TEST_CASE_METHOD(det_fixture, "matcher_index: unavailable until the database can be read, "
                 "then built by the next check", "[actors][matcher_index]") {
  const auto later = dir.file("later.db");
  spawn(30s, later);
  auto s = try_snapshot();
  REQUIRE_FALSE(s);
  CHECK(s.error() == gc::actors::errc::unavailable);
  CHECK_THAT(stats().last_error, Catch::Matchers::Contains("cannot open database"));
  {
    gc::store::connection c{later};
    REQUIRE(gc::store::migrate(c).ok());
    c.exec("INSERT INTO investors (id, name, domain) VALUES (1, 'Late', 'late.vc')");
  }
  advance(30s);
  CHECK(matches(snapshot(), "x@late.vc"));
  CHECK(stats().last_error.empty());
}

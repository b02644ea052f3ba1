// supervisor timing on CAF's deterministic test_coordinator (style.md §1.7): nothing runs
// until sched->run(), and time moves only with advance_time().
#include "actors/supervisor.hpp"

#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

using namespace std::chrono_literals;
using gc::actors::child_info;
using gc::actors::errc;

namespace {

// A child: ping -> pong; delete_atom -> crash (error exit); close_atom -> normal exit.
caf::behavior test_child(caf::event_based_actor* self) {
  return {
    [](caf::ping_atom) { return caf::pong_atom_v; },
    [self](caf::delete_atom) { self->quit(caf::make_error(caf::sec::runtime_error, "boom")); },
    [self](caf::close_atom) { self->quit(); },
  };
}

gc::actors::child_spec test_spec(std::string name, std::shared_ptr<std::atomic<int>> starts = {}) {
  return {std::move(name), [starts](caf::local_actor* parent) {
            if (starts)
              ++*starts;
            return parent->spawn(test_child);
          }};
}

struct deterministic {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::unique_ptr<caf::scoped_actor> self;
  deterministic() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::gc>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    self = std::make_unique<caf::scoped_actor>(*sys);
  }
  ~deterministic() {
    self.reset();
    sched->run();
  }

  std::vector<child_info> status(const caf::actor& sup) {
    auto h = (*self)->request(sup, caf::infinite, gc::actors::status_atom_v);
    sched->run();
    std::vector<child_info> out;
    h.receive([&](std::vector<child_info>& xs) { out = std::move(xs); },
              [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  caf::expected<caf::actor> child(const caf::actor& sup, const std::string& name) {
    auto h = (*self)->request(sup, caf::infinite, caf::get_atom_v, name);
    sched->run();
    caf::expected<caf::actor> out{caf::error{}};
    h.receive([&](caf::actor& a) { out = std::move(a); },
              [&](caf::error& e) { out = std::move(e); });
    return out;
  }
  bool pings(const caf::actor& a) {
    auto h = (*self)->request(a, caf::infinite, caf::ping_atom_v);
    sched->run();
    bool ok = false;
    h.receive([&](caf::pong_atom) { ok = true; }, [&](caf::error&) { ok = false; });
    return ok;
  }
  // Crashes the current child `name`, then returns how long until it is back: advances the
  // clock 1 ms at a time (at most `limit`) and reports the delay at which it restarted.
  caf::timespan crash_and_time_restart(const caf::actor& sup, const std::string& name,
                                       caf::timespan limit = 60s) {
    auto c = child(sup, name);
    REQUIRE(c);
    (*self)->send(*c, caf::delete_atom_v);
    sched->run();
    REQUIRE_FALSE(status(sup).front().alive);
    for (caf::timespan t{0}; t < limit; t += 1ms) {
      sched->advance_time(1ms);
      sched->run();
      if (status(sup).front().alive)
        return t + 1ms;
    }
    return limit;
  }
};

} // namespace

TEST_CASE_METHOD(deterministic, "supervisor: restarts a crashing child with doubling backoff",
                 "[actors][supervisor]") {
  auto starts = std::make_shared<std::atomic<int>>(0);
  std::vector<gc::actors::child_spec> specs{test_spec("worker", starts)};
  gc::actors::supervisor_options opts;
  opts.max_backoff = 400ms;
  auto sup = gc::actors::spawn_supervisor(*sys, std::move(specs), opts);
  sched->run();
  auto st = status(sup);
  REQUIRE(st.size() == 1);
  CHECK(st[0].name == "worker");
  CHECK(st[0].alive);
  CHECK(st[0].restarts == 0);
  CHECK(st[0].last_exit_reason.empty());
  auto first = child(sup, "worker");
  REQUIRE(first);
  CHECK(pings(*first));

  // Crash: down, not yet restarted; the handle is unavailable until the backoff elapses.
  (*self)->send(*first, caf::delete_atom_v);
  sched->run();
  st = status(sup);
  CHECK_FALSE(st[0].alive);
  CHECK(st[0].restarts == 0);
  CHECK_THAT(st[0].last_exit_reason, Catch::Matchers::Contains("boom"));
  auto none = child(sup, "worker");
  REQUIRE_FALSE(none);
  CHECK(none.error() == errc::unavailable);
  sched->advance_time(99ms);
  sched->run();
  CHECK_FALSE(status(sup)[0].alive);
  sched->advance_time(1ms);
  sched->run();
  st = status(sup);
  CHECK(st[0].alive);
  CHECK(st[0].restarts == 1);
  auto second = child(sup, "worker");
  REQUIRE(second);
  CHECK(*second != *first);
  CHECK(pings(*second));

  // Backoff doubles (200, 400) and is capped at max_backoff (400).
  CHECK(crash_and_time_restart(sup, "worker") == 200ms);
  CHECK(crash_and_time_restart(sup, "worker") == 400ms);
  CHECK(crash_and_time_restart(sup, "worker") == 400ms);
  CHECK(status(sup)[0].restarts == 4);

  // Healthy for healthy_after (60 s): the backoff starts over at 100 ms.
  sched->advance_time(60s);
  sched->run();
  CHECK(crash_and_time_restart(sup, "worker") == 100ms);
  CHECK(status(sup)[0].restarts == 5);
  CHECK(*starts == 6);

  (*self)->send_exit(sup, caf::exit_reason::user_shutdown);
  sched->run();
  auto gone = child(sup, "worker");
  CHECK_FALSE(gone);  // supervisor is down: request bounced
}

TEST_CASE_METHOD(deterministic, "supervisor: a normal exit is not restarted",
                 "[actors][supervisor]") {
  std::vector<gc::actors::child_spec> specs{test_spec("a"), test_spec("b")};
  auto sup = gc::actors::spawn_supervisor(*sys, std::move(specs));
  sched->run();
  auto a = child(sup, "a");
  REQUIRE(a);
  (*self)->send(*a, caf::close_atom_v);
  sched->run();
  sched->advance_time(120s);
  sched->run();
  auto st = status(sup);
  REQUIRE(st.size() == 2);
  CHECK(st[0].name == "a");
  CHECK_FALSE(st[0].alive);
  CHECK(st[0].restarts == 0);
  CHECK(st[0].last_exit_reason == "normal");
  CHECK(st[1].alive);  // one-for-one: b is untouched
  auto b = child(sup, "b");
  REQUIRE(b);
  CHECK(pings(*b));
  (*self)->send_exit(sup, caf::exit_reason::user_shutdown);
  sched->run();
  CHECK_FALSE(pings(*b));  // children stop with the supervisor
}

TEST_CASE_METHOD(deterministic, "supervisor: add, delete, unknown names, throwing factory",
                 "[actors][supervisor]") {
  auto sup = gc::actors::spawn_supervisor(*sys, {});
  sched->run();
  auto unknown = child(sup, "nope");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error() == errc::unknown_child);

  // A factory that throws is a crash: logged, restarted with backoff.
  auto attempts = std::make_shared<int>(0);
  gc::actors::child_spec flaky{"flaky", [attempts](caf::local_actor* parent) -> caf::actor {
                                 if (++*attempts < 3)
                                   throw std::runtime_error("not yet");
                                 return parent->spawn(test_child);
                               }};
  auto add = (*self)->request(sup, caf::infinite, caf::add_atom_v, flaky);
  sched->run();
  add.receive([](caf::ok_atom) {}, [](caf::error& e) { FAIL(caf::to_string(e)); });
  auto st = status(sup);
  REQUIRE(st.size() == 1);
  CHECK_FALSE(st[0].alive);
  CHECK_THAT(st[0].last_exit_reason, Catch::Matchers::Contains("not yet"));
  sched->advance_time(100ms);  // attempt 2 fails, next in 200 ms
  sched->run();
  CHECK_FALSE(status(sup)[0].alive);
  sched->advance_time(200ms);
  sched->run();
  st = status(sup);
  CHECK(st[0].alive);
  CHECK(st[0].restarts == 2);

  auto dup = (*self)->request(sup, caf::infinite, caf::add_atom_v, test_spec("flaky"));
  sched->run();
  dup.receive([](caf::ok_atom) { FAIL("duplicate accepted"); },
              [](caf::error& e) { CHECK(e == errc::duplicate_child); });

  auto c = child(sup, "flaky");
  REQUIRE(c);
  auto del = (*self)->request(sup, caf::infinite, caf::delete_atom_v, std::string{"flaky"});
  sched->run();
  del.receive([](caf::ok_atom) {}, [](caf::error& e) { FAIL(caf::to_string(e)); });
  CHECK(status(sup).empty());
  CHECK_FALSE(pings(*c));
  (*self)->send_exit(sup, caf::exit_reason::user_shutdown);
  sched->run();
}

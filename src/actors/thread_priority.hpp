#pragma once
// Background CPU priority for the actor runtime's threads (scheduler workers and detached
// actors such as the store writer), used by `serve` and `sync --once`. In serve, capture work
// (Gmail JSON, MIME parsing, the writer's batch commits) yields the CPU to the REST handlers,
// whose threads keep the default priority. On a busy box a person waiting for a page is served
// first; the backfill is paced by Google's quota and needs a small share of a core on average
// (docs/benchmarks.md, REST load).
#include <caf/thread_hook.hpp>

namespace gc::actors {

// Every thread the actor system starts runs `nice` (1..19) above the nice value of the thread
// that created the actor system. Absolute, not relative: a thread inherits its creator's nice
// value, and detached actors' threads are created by actors.
class background_priority : public caf::thread_hook {
public:
  explicit background_priority(int nice) : nice_{nice} {}
  void init(caf::actor_system&) override;
  void thread_started() override;
  void thread_terminates() override {}

private:
  int nice_;
  int target_ = 0;
};

// The nice value `serve` and `sync --once` give the actor runtime. In sync --once the caller's
// thread parses and sends the requests to Google; the writer fills the time Google takes.
inline constexpr int actor_background_nice = 5;

} // namespace gc::actors

#pragma once
// runtime: what main and the HTTP layer hold. Owns the actor system (with the gc type-ID
// block registered), the supervisor, and the store writer as its first child.
//
// The async calls may be made from any non-actor thread (HTTP I/O threads): each spawns a
// short-lived bridge actor (style.md §1.6) and returns at once; `done` runs exactly once, on a
// CAF thread. The *_sync calls block: CLI and tests only, never on a CAF or I/O thread.
#include "actors/messages.hpp"
#include "core/config.hpp"
#include "core/result.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gc::store { class connection; }

namespace gc::actors {

class runtime {
public:
  // Spawns supervisor + store writer. background_nice > 0 runs every actor thread at that
  // nice value (thread_priority.hpp; `serve` uses actor_background_nice).
  explicit runtime(const gc::core::config& cfg, int background_nice = 0);
  ~runtime();                                      // calls shutdown()
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  caf::actor_system& system();
  // The supervisor: add further children with (caf::add_atom, child_spec), look them up with
  // (caf::get_atom, name).
  const caf::actor& supervisor() const { return supervisor_; }

  using write_fn = std::function<int64_t(gc::store::connection&)>;
  // Async: done is called exactly once, from a CAF thread, with the job's return value or an
  // error (code "job_failed", "commit_failed", "unavailable", "timeout", ...). The value
  // arrives only once the job is committed. "timeout" means the outcome is unknown: the job
  // may still commit later. `fn` runs on the writer's thread: capture by value.
  void write(write_fn fn, std::function<void(gc::result<int64_t>)> done,
             std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Blocking, for the CLI and tests.
  gc::result<int64_t> write_sync(write_fn fn,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

  struct child_status {
    std::string name;
    int restarts;
    bool alive;
    std::string last_exit_reason;
  };
  void children(std::function<void(gc::result<std::vector<child_status>>)> done);  // async
  std::vector<child_status> children_sync();  // empty after shutdown

  // Idempotent: user_shutdown to the supervisor (which stops its children; the store writer
  // commits what is queued and checkpoints the WAL), then waits for every actor to finish.
  void shutdown();

private:
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor supervisor_;
  std::atomic<bool> down_{false};
};

// caf::error -> gc::error {code, message} (codes as documented at runtime::write).
gc::error to_gc_error(const caf::error& err);

} // namespace gc::actors

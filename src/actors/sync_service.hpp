#pragma once
// Everything capture needs beside the store: the Gmail services (auth + HTTP client), the
// rate_limiter and matcher_index actors (supervisor children), and one mailbox_syncer per
// enrolled, enabled mailbox. `serve` starts it with syncers; `sync --once` without, and runs
// cycles on its own thread.
#include "actors/attachment_fetcher.hpp"
#include "actors/mailbox_syncer.hpp"
#include "actors/matcher_index_types.hpp"
#include "core/config.hpp"
#include "gmail/services.hpp"

#include <memory>
#include <mutex>
#include <optional>

namespace gc::actors {

class sync_service {
public:
  // Errors name the variable at fault (e.g. "CRM_GMAIL_SA_KEY_PATH: ...").
  static gc::result<std::unique_ptr<sync_service>> start(const core::config& cfg, runtime& rt,
                                                         bool with_syncers);
  ~sync_service();

  // Runs one cycle of `account_id` on the calling thread (blocking).
  sync_report run_once(int64_t account_id);
  // Asks the running syncer of one mailbox (or all) to run now; returns at once.
  void run_now(std::optional<int64_t> account_id);
  // Starts (enabled) or stops (disabled) the syncer of a mailbox after enroll/pause/resume.
  // Idempotent. Returns true when a syncer was started by this call (it runs a cycle at
  // once). Blocks briefly on the supervisor: call it from a plain thread (HTTP worker, CLI),
  // never from an actor or an I/O thread. Thread-safe, like run_now.
  bool refresh_account(int64_t account_id, bool enabled);
  caf::actor matcher();
  rate_limiter_actor limiter() const { return env_.limiter; }
  // Fetches the bodies a rematch found missing (actors/body_fetch.hpp) on a detached thread;
  // returns at once, callable from any thread (also from an actor).
  void fetch_bodies(std::vector<body_fetch> todo);
  attachment_counts fetch_attachments_once();   // blocking (CLI)
  void fetch_attachments_now();                 // async nudge
  gmail::services* services() { return services_.get(); }
  void stop();  // sets the stop flag: running cycles end at their next Gmail call

private:
  attachment_env attachment_env_for() const;
  sync_service(const core::config& cfg, runtime& rt) : cfg_(cfg), rt_(rt) {}
  caf::actor child(const std::string& name);

  const core::config& cfg_;
  runtime& rt_;
  std::unique_ptr<gmail::services> services_;
  syncer_env env_;
  std::mutex mu_;                 // guards syncers_ (HTTP workers call in concurrently)
  std::vector<int64_t> syncers_;
  std::shared_ptr<attachment_stats> attach_stats_ = std::make_shared<attachment_stats>();
};

} // namespace gc::actors

#pragma once
// Paced, retried Gmail calls for a blocking caller (a mailbox syncer's own thread, or the
// `sync --once` command). Every call first takes a permit from the rate_limiter for its quota
// units, runs, then releases the permit; a rate-limit error is reported to the limiter (which
// pauses that mailbox) before the release. Retryable errors are retried up to `retry_max`
// times with exponential backoff; auth, not-found, history-expired and permanent errors are
// returned at once.
#include "actors/rate_limiter.hpp"
#include "gmail/outcome.hpp"

#include <atomic>
#include <caf/actor_system.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <string>

namespace gc::actors {

struct gate_options {
  int retry_max = 5;                                          // CRM_GMAIL_RETRY_MAX
  std::chrono::milliseconds backoff_initial{1000};            // 5xx/network: 1 s, 2 s, 4 s ...
  std::chrono::milliseconds backoff_max{30000};
  std::chrono::milliseconds permit_timeout{std::chrono::minutes(15)};
};

class gmail_gate {
public:
  gmail_gate(caf::actor_system& sys, rate_limiter_actor limiter, gate_options opts,
             std::function<bool()> stopping = {});

  // Runs `start(done)` (which must call done exactly once, from any thread) under a permit.
  template <class T>
  gmail::outcome<T> run(const std::string& mailbox, core::gmail_method m, int count,
                        const std::function<void(std::function<void(gmail::outcome<T>)>)>& start) {
    for (int attempt = 0;; ++attempt) {
      auto p = acquire(mailbox, m, count);
      if (!p) return gmail::api_error{gmail::error_kind::retryable, 0, "limiter", p.error().message};
      std::promise<gmail::outcome<T>> prom;
      auto fut = prom.get_future();
      start([&prom](gmail::outcome<T> r) { prom.set_value(std::move(r)); });
      auto r = fut.get();
      settle(*p, r.ok() ? nullptr : &r.error());
      if (r.ok() || !should_retry(r.error(), attempt)) return r;
      pause_before_retry(r.error(), attempt);
    }
  }

  // True when a failed call should be tried again (retryable, budget left, not stopping).
  bool should_retry(const gmail::api_error& e, int attempt) const;
  // Sleeps the backoff for a non-rate-limit error (rate limits are paced by the limiter).
  void pause_before_retry(const gmail::api_error& e, int attempt) const;
  // Reports a rate-limit error of a batch part to the limiter (pauses the mailbox).
  void report_throttle(const std::string& mailbox, const gmail::api_error& e);

  int64_t units_used() const { return units_; }
  bool stopping() const { return stopping_ && stopping_(); }

private:
  gc::result<permit> acquire(const std::string& mailbox, core::gmail_method m, int count);
  void settle(const permit& p, const gmail::api_error* err);

  caf::actor_system& sys_;
  rate_limiter_actor limiter_;
  gate_options opts_;
  std::function<bool()> stopping_;
  std::atomic<int64_t> units_{0};
};

} // namespace gc::actors

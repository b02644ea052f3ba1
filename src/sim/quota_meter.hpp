#pragma once
// Gmail quota metering (gmail-api.md §3): a moving 60-second window of units per mailbox and
// per project, charged per call (inner batch calls included), plus a per-mailbox in-flight cap.
// Refusals are counted for /__sim/stats. Thread-safe.
#include "core/json.hpp"
#include "http/types.hpp"
#include "sim/quota_costs.hpp"
#include "sim/sim_server_clock.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gc::sim {

// Which body a mailbox over its per-minute units gets.
enum class user_limit_style {
  queries_403,      // 403 rateLimitExceeded "Quota exceeded for quota metric 'Queries' ..."
  legacy_403,       // 403 userRateLimitExceeded "User Rate Limit Exceeded"
  retry_after_429,  // 429 "User-rate limit exceeded.  Retry after <RFC 3339>"
};

struct quota_options {
  core::quota_table table = core::quota_table::legacy;
  int64_t user_per_min = 15000;        // 6,000 for projects created from May 2026
  int64_t project_per_min = 1200000;
  int inflight_cap = 10;               // per mailbox; 0 = no cap
  user_limit_style user_style = user_limit_style::queries_403;
  long long project_number = 100000000001;  // appears in the 'Queries' message
};

enum class quota_verdict { ok, user_rate, project_rate };

struct quota_decision {
  quota_verdict verdict = quota_verdict::ok;
  sim_clock::time_point retry_at{};    // when the refused call would fit (user_rate only)
};

class quota_meter {
public:
  quota_meter(quota_options opts, const sim_clock& clock);

  quota_options options() const;
  void set_options(const quota_options& opts);
  int cost(gmail_method m) const;

  // Takes an in-flight slot for `mailbox`; false (counted) when the cap is reached.
  bool acquire(const std::string& mailbox);
  // Returns a slot. If `hold_id` names an open hold, the slot stays taken until close_hold():
  // a batch's inner calls run "in parallel", so they all count against the cap together.
  void release(const std::string& mailbox, const std::string& hold_id = {});
  void open_hold(const std::string& hold_id);
  void close_hold(const std::string& hold_id);
  bool hold_open(const std::string& hold_id) const;

  // Charges the method's cost to the mailbox and the project if both windows have room;
  // otherwise charges nothing and says which limit refused.
  quota_decision charge(const std::string& mailbox, gmail_method m);

  // The Google error body for a refusal.
  http::response_t refusal(const quota_decision& d) const;

  // {"project":{...},"mailboxes":{"a@x":{...}},"totals":{...}}
  json stats() const;
  void reset_stats();

private:
  struct window {
    std::deque<std::pair<int64_t, int64_t>> buckets;  // (epoch second, units)
    int64_t total = 0;
    void expire(int64_t now_s);
    void add(int64_t now_s, int64_t units);
    int64_t fits_at(int64_t limit, int64_t units) const;  // epoch second when it would fit
  };
  struct mailbox_state {
    window win;
    int64_t units = 0, calls = 0, rate_refusals = 0, concurrency_refusals = 0;
    int in_flight = 0, max_in_flight = 0;
    std::map<std::string, int64_t> by_method;
  };

  mutable std::mutex mu_;
  quota_options opts_;
  const sim_clock& clock_;
  std::map<std::string, mailbox_state> boxes_;
  window project_;
  int64_t project_units_ = 0, project_refusals_ = 0;
  std::map<std::string, std::vector<std::string>> holds_;  // hold id -> held mailboxes
};

} // namespace gc::sim

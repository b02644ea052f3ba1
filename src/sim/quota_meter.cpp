#include "sim/quota_meter.hpp"

#include "sim/endpoint_errors.hpp"

namespace gc::sim {

constexpr int64_t window_seconds = 60;

void quota_meter::window::expire(int64_t now_s) {
  while (!buckets.empty() && buckets.front().first <= now_s - window_seconds) {
    total -= buckets.front().second;
    buckets.pop_front();
  }
}

void quota_meter::window::add(int64_t now_s, int64_t units) {
  if (!buckets.empty() && buckets.back().first >= now_s) buckets.back().second += units;
  else buckets.emplace_back(now_s, units);
  total += units;
}

int64_t quota_meter::window::fits_at(int64_t limit, int64_t units) const {
  int64_t left = total;
  for (const auto& [sec, n] : buckets) {
    left -= n;
    if (left + units <= limit) return sec + window_seconds;
  }
  return buckets.empty() ? 0 : buckets.back().first + window_seconds;
}

quota_meter::quota_meter(quota_options opts, const sim_clock& clock)
    : opts_(std::move(opts)), clock_(clock) {}

quota_options quota_meter::options() const {
  std::lock_guard lock{mu_};
  return opts_;
}

void quota_meter::set_options(const quota_options& opts) {
  std::lock_guard lock{mu_};
  opts_ = opts;
}

int quota_meter::cost(gmail_method m) const {
  std::lock_guard lock{mu_};
  return quota_cost(opts_.table, m);
}

bool quota_meter::acquire(const std::string& mailbox) {
  std::lock_guard lock{mu_};
  auto& b = boxes_[mailbox];
  if (opts_.inflight_cap > 0 && b.in_flight >= opts_.inflight_cap) {
    ++b.concurrency_refusals;
    return false;
  }
  ++b.in_flight;
  if (b.in_flight > b.max_in_flight) b.max_in_flight = b.in_flight;
  return true;
}

void quota_meter::release(const std::string& mailbox, const std::string& hold_id) {
  std::lock_guard lock{mu_};
  if (!hold_id.empty()) {
    if (auto it = holds_.find(hold_id); it != holds_.end()) {
      it->second.push_back(mailbox);
      return;
    }
  }
  if (auto it = boxes_.find(mailbox); it != boxes_.end() && it->second.in_flight > 0)
    --it->second.in_flight;
}

void quota_meter::open_hold(const std::string& hold_id) {
  std::lock_guard lock{mu_};
  holds_.try_emplace(hold_id);
}

void quota_meter::close_hold(const std::string& hold_id) {
  std::lock_guard lock{mu_};
  auto it = holds_.find(hold_id);
  if (it == holds_.end()) return;
  for (const auto& mb : it->second)
    if (auto b = boxes_.find(mb); b != boxes_.end() && b->second.in_flight > 0) --b->second.in_flight;
  holds_.erase(it);
}

bool quota_meter::hold_open(const std::string& hold_id) const {
  std::lock_guard lock{mu_};
  return holds_.count(hold_id) > 0;
}

quota_decision quota_meter::charge(const std::string& mailbox, gmail_method m) {
  std::lock_guard lock{mu_};
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            clock_.now().time_since_epoch()).count();
  const int64_t units = quota_cost(opts_.table, m);
  auto& b = boxes_[mailbox];
  b.win.expire(now_s);
  project_.expire(now_s);
  if (b.win.total + units > opts_.user_per_min) {
    ++b.rate_refusals;
    auto at = b.win.fits_at(opts_.user_per_min, units);
    return {quota_verdict::user_rate, sim_clock::time_point{std::chrono::seconds(at)}};
  }
  if (project_.total + units > opts_.project_per_min) {
    ++b.rate_refusals;
    ++project_refusals_;
    return {quota_verdict::project_rate, {}};
  }
  b.win.add(now_s, units);
  project_.add(now_s, units);
  b.units += units;
  ++b.calls;
  b.by_method[std::string{method_name(m)}] += 1;
  project_units_ += units;
  return {};
}

http::response_t quota_meter::refusal(const quota_decision& d) const {
  std::lock_guard lock{mu_};
  if (d.verdict == quota_verdict::project_rate) return project_rate_limit();
  switch (opts_.user_style) {
    case user_limit_style::legacy_403: return user_rate_limit_legacy();
    case user_limit_style::retry_after_429: return user_rate_retry_after(d.retry_at);
    case user_limit_style::queries_403: break;
  }
  return queries_quota_exceeded("Queries per minute per user", opts_.project_number);
}

json quota_meter::stats() const {
  std::lock_guard lock{mu_};
  json boxes = json::object();
  int64_t rate = 0, conc = 0, calls = 0;
  for (const auto& [name, b] : boxes_) {
    boxes[name] = {{"units", b.units},
                   {"calls", b.calls},
                   {"rate_refusals", b.rate_refusals},
                   {"concurrency_refusals", b.concurrency_refusals},
                   {"in_flight", b.in_flight},
                   {"max_in_flight", b.max_in_flight},
                   {"window_units", b.win.total},
                   {"by_method", b.by_method}};
    rate += b.rate_refusals;
    conc += b.concurrency_refusals;
    calls += b.calls;
  }
  return {{"project", {{"units", project_units_}, {"rate_refusals", project_refusals_},
                       {"window_units", project_.total}}},
          {"totals", {{"calls", calls}, {"rate_refusals", rate}, {"concurrency_refusals", conc}}},
          {"limits", {{"table", core::to_string(opts_.table)},
                      {"user_per_min", opts_.user_per_min},
                      {"project_per_min", opts_.project_per_min},
                      {"inflight_cap", opts_.inflight_cap}}},
          {"mailboxes", boxes}};
}

void quota_meter::reset_stats() {
  std::lock_guard lock{mu_};
  for (auto& [name, b] : boxes_) {
    b.units = b.calls = b.rate_refusals = b.concurrency_refusals = 0;
    b.max_in_flight = b.in_flight;
    b.by_method.clear();
  }
  project_units_ = project_refusals_ = 0;
}

} // namespace gc::sim

#include "sim/faults.hpp"

#include <algorithm>
#include <cctype>

namespace gc::sim {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

const char* to_string(script_target t) {
  switch (t) {
    case script_target::gmail: return "gmail";
    case script_target::batch: return "batch";
    case script_target::token: return "token";
  }
  return "gmail";
}

} // namespace

fault_injector::fault_injector(fault_options opts) : opts_(opts), rng_(opts.seed) {}

fault_options fault_injector::options() const {
  std::lock_guard lock{mu_};
  return opts_;
}

void fault_injector::set_options(const fault_options& opts) {
  std::lock_guard lock{mu_};
  if (opts.seed != opts_.seed) rng_.seed(opts.seed);
  opts_ = opts;
}

bool fault_injector::draw(double p) {
  if (p <= 0) return false;
  double x = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return x < p;
}

fault fault_injector::roll(bool outer) {
  std::lock_guard lock{mu_};
  if (opts_.fail_500 <= 0 && opts_.fail_503 <= 0 && (!outer || opts_.drop <= 0)) return fault::none;
  double x = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  double edge = outer ? opts_.drop : 0.0;
  if (x < edge) { ++ndrop_; return fault::drop; }
  edge += opts_.fail_500;
  if (x < edge) { ++n500_; return fault::backend_500; }
  edge += opts_.fail_503;
  if (x < edge) { ++n503_; return fault::unavailable_503; }
  return fault::none;
}

bool fault_injector::roll_token_failure() {
  std::lock_guard lock{mu_};
  if (!draw(opts_.token_internal_failure)) return false;
  ++ntoken_;
  return true;
}

bool fault_injector::history_404() const {
  std::lock_guard lock{mu_};
  return opts_.history_404;
}

std::chrono::milliseconds fault_injector::delay() const {
  std::lock_guard lock{mu_};
  return std::chrono::milliseconds(opts_.slow_ms);
}

void fault_injector::script(scripted_error s) {
  if (s.count < 1) return;
  std::lock_guard lock{mu_};
  scripts_.push_back(std::move(s));
}

std::optional<scripted_error> fault_injector::take_scripted(script_target t, std::string_view mailbox,
                                                            std::string_view method) {
  std::lock_guard lock{mu_};
  for (auto it = scripts_.begin(); it != scripts_.end(); ++it) {
    if (it->target != t) continue;
    if (!it->mailbox.empty() && !iequal(it->mailbox, mailbox)) continue;
    if (!it->method.empty() && it->method != method) continue;
    scripted_error hit = *it;
    if (--it->count <= 0) scripts_.erase(it);
    ++nscripted_;
    return hit;
  }
  return std::nullopt;
}

void fault_injector::clear_scripted() {
  std::lock_guard lock{mu_};
  scripts_.clear();
}

json fault_injector::stats() const {
  std::lock_guard lock{mu_};
  json pending = json::array();
  for (const auto& s : scripts_)
    pending.push_back({{"error", s.error}, {"mailbox", s.mailbox}, {"method", s.method},
                       {"count", s.count}, {"target", to_string(s.target)}});
  return {{"injected_500", n500_},
          {"injected_503", n503_},
          {"dropped", ndrop_},
          {"token_failures", ntoken_},
          {"scripted_served", nscripted_},
          {"scripted", pending},
          {"options", {{"fail_500", opts_.fail_500},
                       {"fail_503", opts_.fail_503},
                       {"drop", opts_.drop},
                       {"slow_ms", opts_.slow_ms},
                       {"history_404", opts_.history_404},
                       {"token_internal_failure", opts_.token_internal_failure},
                       {"seed", opts_.seed}}}};
}

} // namespace gc::sim

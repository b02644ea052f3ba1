#include "sim/faults.hpp"

namespace gc::sim {

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

json fault_injector::stats() const {
  std::lock_guard lock{mu_};
  return {{"injected_500", n500_},
          {"injected_503", n503_},
          {"dropped", ndrop_},
          {"token_failures", ntoken_},
          {"options", {{"fail_500", opts_.fail_500},
                       {"fail_503", opts_.fail_503},
                       {"drop", opts_.drop},
                       {"slow_ms", opts_.slow_ms},
                       {"history_404", opts_.history_404},
                       {"token_internal_failure", opts_.token_internal_failure},
                       {"seed", opts_.seed}}}};
}

} // namespace gc::sim

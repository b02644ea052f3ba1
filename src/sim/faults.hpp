#pragma once
// Fault injection for the simulator (gmail-api.md §9.13): random 500 backendError, 503,
// dropped connections, slow replies, history 404 and token-endpoint internal_failure.
// Deterministic: one seeded generator, drawn in call order. Thread-safe.
#include "core/json.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace gc::sim {

struct fault_options {
  double fail_500 = 0;                 // probability per Gmail call
  double fail_503 = 0;
  double drop = 0;                     // close the connection without answering (outer only)
  int slow_ms = 0;                     // delay before every Gmail/batch reply
  bool history_404 = false;            // every history.list answers 404 notFound
  double token_internal_failure = 0;   // probability per /token call
  uint64_t seed = 1;
};

enum class fault { none, backend_500, unavailable_503, drop };

class fault_injector {
public:
  explicit fault_injector(fault_options opts = {});

  fault_options options() const;
  // Replaces the options; reseeds the generator when the seed changes.
  void set_options(const fault_options& opts);

  // One draw for a Gmail call. `outer` calls may be dropped; inner batch calls never are.
  fault roll(bool outer);
  bool roll_token_failure();
  bool history_404() const;
  std::chrono::milliseconds delay() const;

  json stats() const;   // {"injected_500","injected_503","dropped","token_failures","options"}

private:
  bool draw(double p);   // caller holds mu_

  mutable std::mutex mu_;
  fault_options opts_;
  std::mt19937_64 rng_;
  int64_t n500_ = 0, n503_ = 0, ndrop_ = 0, ntoken_ = 0;
};

} // namespace gc::sim

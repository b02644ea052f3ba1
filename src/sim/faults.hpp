#pragma once
// Fault injection for the simulator (gmail-api.md §9.13): random 500 backendError, 503,
// dropped connections, slow replies, history 404 and token-endpoint internal_failure.
// Deterministic: one seeded generator, drawn in call order. Thread-safe.
// Scripted errors (POST /__sim/faults/next): the next N matching calls answer one entry of the
// error catalog (error_catalog.hpp), in the order the scripts were added.
#include "core/json.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

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

// What a scripted error applies to.
enum class script_target {
  gmail,   // a Gmail call, standalone or an inner batch part
  batch,   // the outer batch request (its token's subject is the mailbox)
  token,   // a /token request (the JWT's sub, or the refresh token's subject, is the mailbox)
};

struct scripted_error {
  std::string error;       // catalog entry name
  std::string mailbox;     // "" = any mailbox
  std::string method;      // gmail only: "users.messages.get" etc., "" = any method
  int count = 1;           // calls left
  std::chrono::system_clock::time_point retry_at{};   // for "Retry after {retry_at}"
  script_target target = script_target::gmail;
};

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

  // Queues a script (count >= 1). take_scripted consumes one call of the first matching script.
  void script(scripted_error s);
  std::optional<scripted_error> take_scripted(script_target t, std::string_view mailbox,
                                              std::string_view method = {});
  void clear_scripted();

  // {"injected_500","injected_503","dropped","token_failures","scripted_served","scripted",
  //  "options"}
  json stats() const;

private:
  bool draw(double p);   // caller holds mu_

  mutable std::mutex mu_;
  fault_options opts_;
  std::mt19937_64 rng_;
  int64_t n500_ = 0, n503_ = 0, ndrop_ = 0, ntoken_ = 0, nscripted_ = 0;
  std::deque<scripted_error> scripts_;
};

} // namespace gc::sim

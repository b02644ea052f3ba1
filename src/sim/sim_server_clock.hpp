#pragma once
// The simulator's notion of "now": the system clock plus an offset that tests (and the
// /__sim/clock/advance route) can move forward, so token expiry and quota windows are testable
// without sleeping. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace gc::sim {

class sim_clock {
public:
  using time_point = std::chrono::system_clock::time_point;

  time_point now() const {
    auto base = frozen_ms_.load() != 0
                    ? time_point{std::chrono::milliseconds(frozen_ms_.load())}
                    : std::chrono::system_clock::now();
    return base + std::chrono::milliseconds(offset_ms_.load());
  }
  // Stops the clock at `t` (tests); only advance() moves it afterwards.
  void freeze(time_point t) {
    frozen_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    offset_ms_ = 0;
  }
  int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
  void advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

private:
  std::atomic<int64_t> offset_ms_{0};
  std::atomic<int64_t> frozen_ms_{0};  // 0 = running
};

} // namespace gc::sim

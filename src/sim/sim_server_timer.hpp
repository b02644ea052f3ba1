#pragma once
// A thread of the simulator's own running an io_context for timers: delayed ("slow") replies
// and periodic jobs (live mail), so no HTTP worker ever sleeps. Stops and joins on destruction.
#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <functional>
#include <thread>

namespace gc::sim {

class sim_timer {
public:
  sim_timer();
  ~sim_timer();
  sim_timer(const sim_timer&) = delete;
  sim_timer& operator=(const sim_timer&) = delete;

  // Runs `fn` on the timer thread after `d` (at once, on that thread, if d <= 0).
  void after(std::chrono::milliseconds d, std::function<void()> fn);
  // Runs `fn` every `period` until stop(); a false return ends that job.
  void every(std::chrono::milliseconds period, std::function<bool()> fn);
  // Cancels pending timers and joins the thread. Idempotent.
  void stop();

private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

} // namespace gc::sim

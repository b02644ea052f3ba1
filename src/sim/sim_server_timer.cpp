#include "sim/sim_server_timer.hpp"

#include "core/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace gc::sim {
namespace net = boost::asio;

sim_timer::sim_timer() : work_(net::make_work_guard(ioc_)), thread_([this] {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      gc::log::error("sim timer job threw: {}", gc::log::redact(e.what()));
    }
  }
}) {}

sim_timer::~sim_timer() { stop(); }

void sim_timer::after(std::chrono::milliseconds d, std::function<void()> fn) {
  if (d.count() <= 0) {
    net::post(ioc_, std::move(fn));
    return;
  }
  auto t = std::make_shared<net::steady_timer>(ioc_, d);
  t->async_wait([t, fn = std::move(fn)](boost::system::error_code ec) {
    if (!ec) fn();
  });
}

void sim_timer::every(std::chrono::milliseconds period, std::function<bool()> fn) {
  struct job : std::enable_shared_from_this<job> {
    job(net::io_context& io, std::chrono::milliseconds p, std::function<bool()> f)
        : timer(io), period(p), fn(std::move(f)) {}
    void arm() {
      timer.expires_after(period);
      timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && self->fn()) self->arm();
      });
    }
    net::steady_timer timer;
    std::chrono::milliseconds period;
    std::function<bool()> fn;
  };
  std::make_shared<job>(ioc_, period, std::move(fn))->arm();
}

void sim_timer::stop() {
  if (!thread_.joinable()) return;
  work_.reset();
  ioc_.stop();
  thread_.join();
}

} // namespace gc::sim

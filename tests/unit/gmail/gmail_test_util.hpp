#pragma once
// Helpers for the gmail tests: a scriptable fake Google on 127.0.0.1 (port 0) built on our own
// HTTP server, a fixed-token auth provider, and a bounded wait for async callbacks.
#include "gmail/auth_provider.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gc::test {

// Runs `start(callback)` and waits (bounded: 30 s) for the callback's value.
template <class T, class Start>
T await(Start&& start) {
  auto p = std::make_shared<std::promise<T>>();
  auto f = p->get_future();
  start([p](T v) { p->set_value(std::move(v)); });
  REQUIRE(f.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  return f.get();
}

// A real HTTP server whose routes the test adds before start().
class fake_google {
public:
  fake_google();
  ~fake_google();
  http::router& routes() { return routes_; }
  void start();
  std::string base() const;          // "http://127.0.0.1:PORT"

  // Every request seen: "METHOD /path", with its body and Authorization header.
  struct seen {
    std::string line;
    std::string body;
    std::string authorization;
    std::string content_type;
  };
  void record(const http::request_ctx& ctx);
  std::vector<seen> requests() const;
  int count(const std::string& line_prefix) const;

private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{ioc_.get_executor()};
  http::router routes_;
  std::unique_ptr<http::server> srv_;
  std::thread io_;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::vector<seen> seen_;
};

// Hands out "tok-1", "tok-2", ... : a new value after each invalidate.
class counting_auth : public gmail::auth_provider {
public:
  void token(const std::string& mailbox, const gmail::scope_set& scopes, token_callback done) override;
  void invalidate(const std::string& mailbox, const gmail::scope_set& scopes, const std::string& rejected) override;
  std::atomic<int> generation{1};
  std::atomic<int> invalidations{0};
  std::atomic<int> asked{0};
};

} // namespace gc::test

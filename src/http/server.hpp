#pragma once
// The Beast HTTP(S) server: accepts on one endpoint, reads one request at a time per
// connection (keep-alive, no pipelining), hands it to the router on a worker pool, writes the
// reply on the connection's strand. Per-connection timeouts; bodies over the limit get 413.
// Graceful stop: stop accepting, let in-flight requests finish, close idle connections.
#include "http/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>

namespace gc::http {

struct server_options {
  std::size_t body_limit = 1024 * 1024;                       // 1 MiB; more is a 413
  std::chrono::seconds read_timeout{30};                      // idle keep-alive / slow client
  std::chrono::seconds write_timeout{30};
  std::size_t workers = 4;                                    // handler threads
  bool log_requests = true;                                   // one line per request
  std::string name = "http";                                  // log prefix
};

class server {
public:
  // `tls` may be null (plain HTTP). The router must outlive the server.
  server(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint ep, const router& r,
         server_options opts = {}, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // The bound endpoint (port 0 resolved). Throws boost::system::system_error on bind failure.
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  void start();
  // Stops accepting and closes idle connections; in-flight requests finish and are answered
  // with "Connection: close". Thread-safe.
  void stop();
  // Number of requests being handled right now.
  std::size_t in_flight() const;
  // Number of open connections.
  std::size_t connections() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace gc::http

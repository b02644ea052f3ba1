#pragma once
// One HTTP connection (plain or TLS): read a request, hand it to the router on the worker pool,
// write the reply on the connection's strand, repeat while keep-alive. Internal to server.cpp.
#include "http/router.hpp"
#include "http/server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace gc::http {

// Interface the server uses to close connections on stop.
class session_base {
public:
  virtual ~session_base() = default;
  virtual void close_if_idle() = 0;
  // A strong reference, or null while the session is being destroyed.
  virtual std::shared_ptr<session_base> strong() = 0;
};

// Shared by the listener and every session.
struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(boost::asio::io_context& ioc, const router& r, server_options o,
       std::shared_ptr<boost::asio::ssl::context> t);

  boost::asio::io_context& ioc;
  const router& routes;
  server_options opts;
  std::shared_ptr<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> connections{0};

  std::mutex mu;
  std::unordered_set<session_base*> live;  // guarded by mu; sessions deregister in their dtor

  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket sock);
};

// Starts a session on an accepted socket.
void start_session(std::shared_ptr<server::impl> srv, boost::asio::ip::tcp::socket sock);

} // namespace gc::http

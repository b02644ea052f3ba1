#pragma once
// The connections to one origin (scheme + host + port): kept-alive idle connections, at most
// max_connections_per_host exchanges in parallel, further requests queued FIFO. A request that
// hit a stale kept-alive connection (eof/reset before any response byte) is retried once on a
// fresh connection; nothing else is retried. Internal to src/net; I/O-thread only.
#include "net/connection.hpp"

#include <deque>
#include <set>

namespace gc::net {

struct pending_request {
  http_request req;
  url target;
  http_client::callback done;
};

class host_pool : public std::enable_shared_from_this<host_pool> {
public:
  host_pool(boost::asio::any_io_executor ex, boost::asio::ssl::context* tls, url origin,
            const client_options& opts);

  void submit(pending_request p);
  // Fails queued requests, cancels running ones (their callbacks get "network"), closes idle
  // connections. Further submits fail at once.
  void shutdown();

private:
  void pump();
  void start(std::shared_ptr<connection> c, pending_request p, bool retried);
  std::shared_ptr<connection> take_idle();

  boost::asio::any_io_executor ex_;
  boost::asio::ssl::context* tls_;
  url origin_;
  const client_options& opts_;
  std::deque<pending_request> queue_;
  std::deque<std::shared_ptr<connection>> idle_;
  std::set<std::shared_ptr<connection>> busy_;
  bool stopping_ = false;
};

// Calls a user callback; an exception from it is logged, never propagated into Asio.
void deliver(http_client::callback& done, gc::result<http_response> r);

} // namespace gc::net

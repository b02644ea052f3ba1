#pragma once
// http_client's state: the io_context and its thread, the TLS context, one host_pool per
// origin. Pools are touched only on the I/O thread. Internal to src/net.
#include "net/host_pool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <optional>
#include <thread>

namespace gc::net {

struct http_client::impl {
  explicit impl(client_options o);

  void submit(http_request req, callback done);  // I/O thread
  void shutdown();                               // I/O thread
  // The TLS context, set up by the first https:// request (I/O thread): loading the system CA
  // store parses every certificate in it (~60 ms), which plain http:// clients never need.
  void set_up_tls();

  client_options opts;
  boost::asio::io_context ioc{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{ioc.get_executor()};
  bool tls_set_up = false;
  std::optional<boost::asio::ssl::context> tls;  // empty if it could not be set up
  std::optional<gc::error> tls_error;            // why, reported by every https:// request
  std::map<std::string, std::shared_ptr<host_pool>> pools;  // by url::origin()
  bool stopping = false;
  std::thread thread;
  std::thread::id thread_id;
};

} // namespace gc::net

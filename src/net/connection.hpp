#pragma once
// One outbound connection (plain TCP or TLS) to one origin, used for one request at a time.
// Connects lazily on the first exchange (resolve + connect + handshake under connect_timeout),
// then writes the request and reads the response under the request's timeout. After a close or
// any error the owner discards the object; a new connection is a new object with a fresh
// stream and a fresh SSL* (boostorg/beast#821). Internal to src/net; I/O-thread only.
#include "net/http_client.hpp"
#include "net/url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/optional.hpp>
#include <functional>
#include <memory>

namespace gc::net {

struct exchange_result {
  gc::result<http_response> res;
  bool reusable = false;  // kept alive and clean: may go back to the idle list
  bool stale = false;     // a reused connection hit eof/reset before any response byte
};

class connection : public std::enable_shared_from_this<connection> {
public:
  using done_fn = std::function<void(exchange_result)>;

  // `tls` is null for http:// origins; it must outlive the connection.
  connection(boost::asio::any_io_executor ex, boost::asio::ssl::context* tls, const url& origin,
             const client_options& opts);

  // Runs one request/response exchange; `done` is called exactly once.
  void run(const http_request& req, const url& u, done_fn done);
  // An idle kept-alive connection that the peer has not closed and that holds no stray bytes.
  bool usable();
  // Cancels whatever is in progress (its `done` gets "network") and closes the socket.
  void close();
  bool reused() const { return exchanges_ > 0; }

private:
  using plain_stream = boost::beast::tcp_stream;
  using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  using request_t = boost::beast::http::request<boost::beast::http::string_body>;
  using parser_t = boost::beast::http::response_parser<boost::beast::http::string_body>;

  plain_stream& lowest();
  plain_stream* lowest_if_open();  // null before the first connect
  template <class F>
  void with_stream(F&& f);

  void do_connect();
  void on_resolve(boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type r);
  void on_connect(boost::system::error_code ec);
  void on_handshake(boost::system::error_code ec);
  void do_write();
  void on_write(boost::system::error_code ec, std::size_t);
  void on_header(boost::system::error_code ec, std::size_t);
  void on_read(boost::system::error_code ec, std::size_t);
  void fail(const char* step, boost::system::error_code ec, bool connecting);
  void finish(exchange_result r);
  std::string where() const;  // "host:port"

  boost::asio::any_io_executor ex_;
  boost::asio::ssl::context* tls_ctx_;
  url origin_;
  const client_options& opts_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  boost::optional<plain_stream> plain_;
  boost::optional<tls_stream> tls_;
  static constexpr std::size_t read_chunk_bytes = 64 * 1024;  // Beast's cap per read_some
  boost::beast::flat_buffer buffer_;
  request_t req_;
  boost::optional<parser_t> parser_;
  done_fn done_;
  std::chrono::milliseconds timeout_{30000};
  std::size_t exchanges_ = 0;
  bool connected_ = false;
  bool resolve_timed_out_ = false;
  bool closed_ = false;
};

} // namespace gc::net

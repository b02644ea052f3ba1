#include "http/session.hpp"

#include "core/log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/optional.hpp>
#include <array>
#include <chrono>

namespace gc::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Access to the TCP layer of either stream type.
beast::tcp_stream& lowest(beast::tcp_stream& s) { return s; }
beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& s) { return s.next_layer(); }

template <class Stream>
class session : public session_base, public std::enable_shared_from_this<session<Stream>> {
public:
  template <class... Args>
  session(std::shared_ptr<server::impl> srv, Args&&... args)
      : srv_(std::move(srv)), stream_(std::forward<Args>(args)...) {
    boost::system::error_code ec;
    auto ep = lowest(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~session() override {
    std::lock_guard lock{srv_->mu};
    srv_->live.erase(this);
    --srv_->connections;
  }

  void run() {
    {
      std::lock_guard lock{srv_->mu};
      srv_->live.insert(this);
    }
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::on_run, this->shared_from_this()));
  }

  // Runs on any thread: hops onto the strand and closes the socket unless a request is in flight.
  std::shared_ptr<session_base> strong() override { return this->weak_from_this().lock(); }

  void close_if_idle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) {
        boost::system::error_code ec;
        lowest(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest(self->stream_).close();
      }
    });
  }

private:
  void on_run() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      do_read();
    } else {
      lowest(stream_).expires_after(srv_->opts.read_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              beast::bind_front_handler(&session::on_handshake, this->shared_from_this()));
    }
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return;  // failed TLS handshakes are not requests: no log spam from scanners
    do_read();
  }

  void do_read() {
    if (srv_->stopping) return close();
    parser_.emplace();
    parser_->body_limit(srv_->opts.body_limit);
    parser_->header_limit(16 * 1024);
    lowest(stream_).expires_after(srv_->opts.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&session::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) {
      busy_ = true;
      keep_alive_ = false;
      linger_ = true;  // the client is still sending: drain it, or the kernel resets the reply away
      started_ = std::chrono::steady_clock::now();
      method_ = "?";
      if (parser_) {
        method_ = std::string{parser_->get().method_string()};
        target_ = std::string{parser_->get().target()};
      }
      ++srv_->in_flight;
      auto limit_kib = srv_->opts.body_limit / 1024;
      return write(error_response(413, "payload_too_large",
                                  "the request body is over " + std::to_string(limit_kib) + " KiB"));
    }
    if (ec) return close();  // end_of_stream, timeout, reset: nothing to answer
    busy_ = true;
    ++srv_->in_flight;
    started_ = std::chrono::steady_clock::now();
    auto req = parser_->release();
    keep_alive_ = req.keep_alive();
    method_ = std::string{req.method_string()};
    target_ = std::string{req.target()};
    lowest(stream_).expires_never();  // the handler may take its time; re-armed before writing

    auto self = this->shared_from_this();
    auto replied = std::make_shared<std::atomic<bool>>(false);
    reply_fn reply = [self, replied](response_t res) {
      if (replied->exchange(true)) return;  // exactly one reply per request
      net::post(self->stream_.get_executor(),
                [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    };
    net::post(srv_->workers, [srv = srv_, req = std::move(req), remote = remote_, reply]() mutable {
      srv->routes.dispatch(std::move(req), std::move(remote), reply);
    });
  }

  void write(response_t res) {
    if (res.count("X-Sim-Drop")) {  // simulator fault injection: drop the connection unanswered
      finish_request(0);
      keep_alive_ = false;
      return close();
    }
    if (srv_->stopping) keep_alive_ = false;
    res.keep_alive(keep_alive_);
    res.prepare_payload();
    res_ = std::make_shared<response_t>(std::move(res));
    lowest(stream_).expires_after(srv_->opts.write_timeout);
    bhttp::async_write(stream_, *res_,
                       beast::bind_front_handler(&session::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    finish_request(res_ ? res_->result_int() : 0);
    res_.reset();
    if (ec || !keep_alive_) return close();
    do_read();
  }

  void finish_request(unsigned status) {
    busy_ = false;
    --srv_->in_flight;
    if (!srv_->opts.log_requests) return;
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
    auto path = target_.substr(0, target_.find('?'));  // query strings may carry codes or tokens
    gc::log::info("{} {} {} {} {:.1f}ms", srv_->opts.name, method_, path,
                  status ? std::to_string(status) : std::string{"dropped"}, ms);
  }

  void close() {
    beast::error_code ec;
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      lowest(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        lowest(self->stream_).close();
      });
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (!linger_) return stream_.close();
      // Lingering close: closing with unread bytes makes the kernel send RST, which can
      // destroy the reply still in flight. Read and discard until the peer finishes (or 2 s).
      linger_ = false;
      stream_.expires_after(std::chrono::seconds(2));
      drain();
    }
  }

  void drain() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.async_read_some(net::buffer(scratch_),
                              [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                if (ec) return self->stream_.close();
                                self->drain();
                              });
    }
  }

  std::shared_ptr<server::impl> srv_;
  Stream stream_;
  beast::flat_buffer buffer_;
  boost::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<response_t> res_;
  std::string remote_, method_, target_;
  std::chrono::steady_clock::time_point started_;
  bool keep_alive_ = true;
  bool busy_ = false;  // strand-only
  bool linger_ = false;  // drain the rest of an over-limit body before closing
  std::array<char, 16 * 1024> scratch_{};
};

} // namespace

void start_session(std::shared_ptr<server::impl> srv, tcp::socket sock) {
  ++srv->connections;
  if (srv->tls) {
    auto s = std::make_shared<session<beast::ssl_stream<beast::tcp_stream>>>(srv, std::move(sock), *srv->tls);
    s->run();
  } else {
    auto s = std::make_shared<session<beast::tcp_stream>>(srv, std::move(sock));
    s->run();
  }
}

} // namespace gc::http

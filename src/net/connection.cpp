#include "net/connection.hpp"

#include "core/log.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <poll.h>

namespace gc::net {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string lower(beast::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A peer that closed an idle keep-alive connection shows up as one of these on the next use.
bool stale_error(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

} // namespace

connection::connection(asio::any_io_executor ex, ssl::context* tls, const url& origin,
                       const client_options& opts)
    : ex_(ex), tls_ctx_(tls), origin_(origin), opts_(opts), resolver_(ex), connect_timer_(ex) {
  // Beast reads at most the buffer's free capacity (at least 512 bytes, at most 64 KiB) per
  // read_some; an unreserved buffer stays at 512 and a 300 KB batch reply took ~600 reads.
  buffer_.reserve(read_chunk_bytes);
}

connection::plain_stream& connection::lowest() { return tls_ ? tls_->next_layer() : *plain_; }

connection::plain_stream* connection::lowest_if_open() {
  if (tls_) return &tls_->next_layer();
  return plain_ ? &*plain_ : nullptr;
}

template <class F>
void connection::with_stream(F&& f) {
  if (tls_) f(*tls_);
  else f(*plain_);
}

std::string connection::where() const { return origin_.authority(); }

void connection::run(const http_request& req, const url& u, done_fn done) {
  done_ = std::move(done);
  if (closed_) return fail("send", asio::error::operation_aborted, false);
  auto verb = bhttp::string_to_verb(req.method);
  req_ = request_t{};
  req_.version(11);
  if (verb == bhttp::verb::unknown) req_.method_string(req.method);
  else req_.method(verb);
  req_.target(u.target);
  req_.set(bhttp::field::host, u.authority());
  req_.set(bhttp::field::user_agent, opts_.user_agent);
  for (const auto& [name, value] : req.headers) req_.set(name, value);
  req_.body() = req.body;
  req_.prepare_payload();
  timeout_ = req.timeout;
  if (connected_) return do_write();
  do_connect();
}

void connection::do_connect() {
  if (tls_ctx_) {
    tls_.emplace(ex_, *tls_ctx_);  // fresh SSL object for every connection
    if (!is_ip_literal(origin_.host) &&
        !SSL_set_tlsext_host_name(tls_->native_handle(), origin_.host.c_str()))
      return fail("TLS setup",
                  error_code{static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()}, true);
    tls_->set_verify_mode(ssl::verify_peer);
    // RFC 6125 name check; a mismatch is recorded so the error says why, not "unspecified".
    tls_->set_verify_callback([check = ssl::host_name_verification(origin_.host),
                               ip = is_ip_literal(origin_.host)](bool pre, ssl::verify_context& vc) mutable {
      bool ok = check(pre, vc);
      if (pre && !ok)
        X509_STORE_CTX_set_error(vc.native_handle(),
                                 ip ? X509_V_ERR_IP_ADDRESS_MISMATCH : X509_V_ERR_HOSTNAME_MISMATCH);
      return ok;
    });
  } else {
    plain_.emplace(ex_);
  }
  connect_timer_.expires_after(opts_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (ec) return;  // cancelled: resolve finished in time
    self->resolve_timed_out_ = true;
    self->resolver_.cancel();
  });
  resolver_.async_resolve(origin_.host, std::to_string(origin_.port),
                          beast::bind_front_handler(&connection::on_resolve, shared_from_this()));
}

void connection::on_resolve(error_code ec, tcp::resolver::results_type results) {
  if (resolve_timed_out_) return fail("resolve", beast::error::timeout, true);
  if (closed_) return fail("resolve", asio::error::operation_aborted, true);
  if (ec) return fail("resolve", ec, true);
  // The remaining connect budget covers connect + handshake.
  lowest().expires_at(connect_timer_.expiry());
  connect_timer_.cancel();
  lowest().async_connect(results, [self = shared_from_this()](error_code e, const tcp::endpoint&) {
    self->on_connect(e);
  });
}

void connection::on_connect(error_code ec) {
  if (closed_) return fail("connect", asio::error::operation_aborted, true);
  if (ec) return fail("connect", ec, true);
  if (!tls_) return on_handshake({});
  tls_->async_handshake(ssl::stream_base::client,
                        beast::bind_front_handler(&connection::on_handshake, shared_from_this()));
}

void connection::on_handshake(error_code ec) {
  if (closed_) return fail("TLS handshake", asio::error::operation_aborted, true);
  if (ec) return fail("TLS handshake", ec, true);
  connected_ = true;
  do_write();
}

void connection::do_write() {
  // Covers the write and the whole read; re-armed per exchange.
  lowest().expires_after(timeout_);
  with_stream([this](auto& s) {
    bhttp::async_write(s, req_, beast::bind_front_handler(&connection::on_write, shared_from_this()));
  });
}

void connection::on_write(error_code ec, std::size_t) {
  if (closed_) return fail("write", asio::error::operation_aborted, false);
  if (ec) return fail("write", ec, false);
  parser_.emplace();
  parser_->body_limit(opts_.max_response_bytes);
  parser_->header_limit(64 * 1024);
  if (req_.method() == bhttp::verb::head) parser_->skip(true);
  // Header first: Beast 1.74's eager parse (async_read) skips the Content-Length body_limit
  // check when header and body arrive in one read; async_read_header parses non-eagerly.
  with_stream([this](auto& s) {
    bhttp::async_read_header(s, buffer_, *parser_,
                             beast::bind_front_handler(&connection::on_header, shared_from_this()));
  });
}

void connection::on_header(error_code ec, std::size_t) {
  if (closed_) return fail("read", asio::error::operation_aborted, false);
  if (ec) return fail("read", ec, false);
  auto len = parser_->content_length();
  if (len && *len > opts_.max_response_bytes) return fail("read", bhttp::error::body_limit, false);
  if (parser_->is_done()) return on_read({}, 0);
  with_stream([this](auto& s) {
    bhttp::async_read(s, buffer_, *parser_,
                      beast::bind_front_handler(&connection::on_read, shared_from_this()));
  });
}

void connection::on_read(error_code ec, std::size_t) {
  if (closed_) return fail("read", asio::error::operation_aborted, false);
  if (ec) return fail("read", ec, false);
  lowest().expires_never();  // an idle connection must not time out "in the background"
  ++exchanges_;
  auto msg = parser_->release();
  parser_.reset();
  http_response res;
  res.status = msg.result_int();
  for (const auto& f : msg) {
    auto name = lower(f.name_string());
    auto [it, fresh] = res.headers.emplace(name, std::string{f.value()});
    if (!fresh) it->second += ", " + std::string{f.value()};
  }
  res.body = std::move(msg.body());
  bool keep = msg.keep_alive() && req_.keep_alive();
  finish(exchange_result{std::move(res), keep, false});
}

void connection::fail(const char* step, error_code ec, bool connecting) {
  std::string code = "network";
  std::string detail = ec.message();
  if (ec == beast::error::timeout) {
    code = "timeout";
    detail = "timed out";
  } else if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
             ec == bhttp::error::buffer_overflow) {
    code = "too_large";
    detail = "response over the limit of " + std::to_string(opts_.max_response_bytes) + " bytes";
  } else if (ec == asio::error::operation_aborted) {
    detail = "cancelled";
  } else if (connecting) {
    std::string s = step;
    code = s == "resolve" ? "resolve" : s == "connect" ? "connect" : "tls";
    if (tls_ && code == "tls") {
      long v = SSL_get_verify_result(tls_->native_handle());
      if (v != X509_V_OK) detail += " (" + std::string{X509_verify_cert_error_string(v)} + ")";
    }
  }
  bool stale = !connecting && reused() && stale_error(ec) && buffer_.size() == 0 &&
               (!parser_ || !parser_->got_some());
  gc::log::debug("net: {} {} failed: {}", where(), step, detail);
  finish(exchange_result{gc::error{code, where() + ": " + step + " failed: " + detail}, false, stale});
}

void connection::finish(exchange_result r) {
  connect_timer_.cancel();
  if (!r.reusable) {
    closed_ = true;
    if (auto* s = lowest_if_open()) {
      error_code ignored;
      s->socket().close(ignored);
    }
  }
  if (auto done = std::move(done_)) {
    done_ = nullptr;
    done(std::move(r));
  }
}

bool connection::usable() {
  auto* s = lowest_if_open();
  if (closed_ || !connected_ || !s || !s->socket().is_open() || buffer_.size() != 0) return false;
  pollfd p{};
  p.fd = s->socket().native_handle();
  p.events = POLLIN;
  return ::poll(&p, 1, 0) == 0;  // readable = eof, close_notify or junk: not reusable
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  connect_timer_.cancel();
  resolver_.cancel();
  if (auto* s = lowest_if_open()) s->socket().close(ignored);
}

} // namespace gc::net

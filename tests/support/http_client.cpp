#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace gc::test {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct http_connection::impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::string host;
};

http_connection::http_connection(const std::string& host, uint16_t port) : impl_(std::make_unique<impl>()) {
  impl_->host = host;
  tcp::resolver resolver{impl_->ioc};
  impl_->stream.connect(resolver.resolve(host, std::to_string(port)));
}

http_connection::~http_connection() {
  beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

bool http_connection::is_open() const { return impl_->stream.socket().is_open(); }

http_reply http_connection::call(const std::string& method, const std::string& target,
                                 const http_request_opts& o) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, impl_->host);
  req.keep_alive(true);
  for (const auto& [k, v] : o.headers) req.set(k, v);
  if (!o.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body() = o.body;
    if (req.find(bhttp::field::content_type) == req.end()) req.set(bhttp::field::content_type, o.content_type);
  }
  req.prepare_payload();
  bhttp::write(impl_->stream, req);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  bhttp::read(impl_->stream, impl_->buffer, parser);
  auto res = parser.release();
  http_reply out;
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& f : res) {
    std::string name{f.name_string()};
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string{f.value()};
  }
  return out;
}

http_reply http_call(const std::string& host, uint16_t port, const std::string& method,
                     const std::string& target, const http_request_opts& o) {
  http_connection c{host, port};
  return c.call(method, target, o);
}

} // namespace gc::test

#include "http/server.hpp"

#include "core/log.hpp"
#include "http/session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace gc::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

server::impl::impl(net::io_context& io, const router& r, server_options o,
                   std::shared_ptr<net::ssl::context> t)
    : ioc(io), routes(r), opts(std::move(o)), tls(std::move(t)), acceptor(net::make_strand(io)),
      workers(opts.workers) {}

void server::impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [self = shared_from_this()](boost::system::error_code ec, tcp::socket sock) {
                          self->on_accept(ec, std::move(sock));
                        });
}

void server::impl::on_accept(boost::system::error_code ec, tcp::socket sock) {
  if (stopping || !acceptor.is_open()) return;
  if (!ec) start_session(shared_from_this(), std::move(sock));
  else if (ec != net::error::operation_aborted)
    gc::log::warn("{} accept failed: {}", opts.name, ec.message());
  do_accept();
}

server::server(net::io_context& ioc, tcp::endpoint ep, const router& r, server_options opts,
               std::shared_ptr<net::ssl::context> tls)
    : impl_(std::make_shared<impl>(ioc, r, std::move(opts), std::move(tls))) {
  auto& a = impl_->acceptor;
  a.open(ep.protocol());
  a.set_option(net::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(net::socket_base::max_listen_connections);
}

server::~server() {
  stop();
  impl_->workers.join();
}

tcp::endpoint server::local_endpoint() const { return impl_->acceptor.local_endpoint(); }

void server::start() { impl_->do_accept(); }

void server::stop() {
  if (impl_->stopping.exchange(true)) return;
  net::post(impl_->acceptor.get_executor(), [self = impl_] {
    boost::system::error_code ec;
    self->acceptor.close(ec);
  });
  // Strong references are taken under the lock and used (and dropped) outside it: a session's
  // destructor takes the same lock.
  std::vector<std::shared_ptr<session_base>> sessions;
  {
    std::lock_guard lock{impl_->mu};
    for (auto* s : impl_->live)
      if (auto p = s->strong()) sessions.push_back(std::move(p));
  }
  for (auto& s : sessions) s->close_if_idle();
}

std::size_t server::in_flight() const { return impl_->in_flight; }
std::size_t server::connections() const { return impl_->connections; }

} // namespace gc::http

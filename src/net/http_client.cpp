#include "net/http_client.hpp"

#include "core/log.hpp"
#include "net/client_impl.hpp"

#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>

namespace gc::net {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

http_client::impl::impl(client_options o) : opts(std::move(o)) {
  std::error_code ec;  // said at start-up too, not only by the first https:// request
  if (!opts.ca_file.empty() && !std::filesystem::is_regular_file(opts.ca_file, ec))
    gc::log::warn("net: the CA file {} does not exist; https:// requests will fail", opts.ca_file);
}

void http_client::impl::set_up_tls() {
  tls_set_up = true;
  try {
    tls.emplace(ssl::context::tls_client);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls->set_verify_mode(ssl::verify_peer);
    if (opts.use_system_store) tls->set_default_verify_paths();
  } catch (const std::exception& e) {
    tls.reset();
    tls_error = gc::error{"tls", std::string{"cannot set up TLS: "} + e.what()};
    return;
  }
  if (!opts.ca_file.empty()) {
    std::error_code fec;
    boost::system::error_code ec;
    if (!std::filesystem::is_regular_file(opts.ca_file, fec)) {
      tls.reset();
      tls_error = gc::error{"tls", "cannot load the CA file " + opts.ca_file + ": no such file"};
    } else if (tls->load_verify_file(opts.ca_file, ec); ec) {
      tls.reset();
      tls_error = gc::error{"tls", "cannot load the CA file " + opts.ca_file + ": " + ec.message()};
    }
  }
  if (tls_error) gc::log::warn("net: {}", tls_error->message);
}

void http_client::impl::submit(http_request req, callback done) {
  if (stopping) return deliver(done, gc::error{"network", "the HTTP client is shutting down"});
  auto u = parse_url(req.url);
  if (!u) return deliver(done, u.error());
  if (u->tls() && !tls_set_up) set_up_tls();
  if (u->tls() && !tls) return deliver(done, gc::error{"tls", u->authority() + ": " + tls_error->message});
  auto origin = u->origin();
  auto it = pools.find(origin);
  if (it == pools.end()) {
    auto pool = std::make_shared<host_pool>(ioc.get_executor(), u->tls() ? &*tls : nullptr, *u, opts);
    it = pools.emplace(origin, std::move(pool)).first;
  }
  it->second->submit(pending_request{std::move(req), std::move(*u), std::move(done)});
}

void http_client::impl::shutdown() {
  stopping = true;
  for (auto& [origin, pool] : pools) pool->shutdown();
}

http_client::http_client(client_options opts) : impl_(std::make_shared<impl>(std::move(opts))) {
  std::promise<void> started;
  auto ready = started.get_future();
  impl_->thread = std::thread([im = impl_.get(), &started] {
    im->thread_id = std::this_thread::get_id();
    started.set_value();
    for (;;) {
      try {
        im->ioc.run();
        return;
      } catch (const std::exception& e) {  // handlers catch their own; this is a last resort
        gc::log::error("net: I/O thread caught: {}", e.what());
      }
    }
  });
  ready.wait();  // thread_id is set before any request can ask for it
}

http_client::~http_client() {
  asio::post(impl_->ioc, [im = impl_.get()] { im->shutdown(); });
  impl_->guard.reset();  // run() returns once every cancelled exchange has reported
  impl_->thread.join();
}

void http_client::request(http_request req, callback done) {
  asio::post(impl_->ioc, [im = impl_.get(), req = std::move(req), done = std::move(done)]() mutable {
    im->submit(std::move(req), std::move(done));
  });
}

gc::result<http_response> http_client::request_sync(http_request req) {
  if (std::this_thread::get_id() == impl_->thread_id) {
    return gc::error{"misuse", "request_sync called on the HTTP client's own I/O thread (would deadlock)"};
  }
  auto done = std::make_shared<std::promise<gc::result<http_response>>>();
  auto fut = done->get_future();
  request(std::move(req), [done](gc::result<http_response> r) { done->set_value(std::move(r)); });
  return fut.get();
}

} // namespace gc::net

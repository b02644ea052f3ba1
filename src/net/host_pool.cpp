#include "net/host_pool.hpp"

#include "core/log.hpp"

namespace gc::net {

void deliver(http_client::callback& done, gc::result<http_response> r) {
  if (!done) return;
  try {
    done(std::move(r));
  } catch (const std::exception& e) {
    gc::log::warn("net: a completion callback threw: {}", e.what());
  } catch (...) {
    gc::log::warn("net: a completion callback threw");
  }
}

host_pool::host_pool(boost::asio::any_io_executor ex, boost::asio::ssl::context* tls, url origin,
                     const client_options& opts)
    : ex_(ex), tls_(tls), origin_(std::move(origin)), opts_(opts) {}

void host_pool::submit(pending_request p) {
  if (stopping_) {
    return deliver(p.done, gc::error{"network", origin_.authority() + ": client is shutting down"});
  }
  queue_.push_back(std::move(p));
  pump();
}

std::shared_ptr<connection> host_pool::take_idle() {
  while (!idle_.empty()) {
    auto c = std::move(idle_.back());  // most recently used: least likely to be stale
    idle_.pop_back();
    if (c->usable()) return c;
    c->close();  // closed by the peer while idle, or holds stray bytes
  }
  return nullptr;
}

void host_pool::pump() {
  std::size_t cap = opts_.max_connections_per_host == 0 ? 1 : opts_.max_connections_per_host;
  while (!queue_.empty() && !stopping_) {
    auto c = take_idle();
    if (!c) {
      if (busy_.size() >= cap) return;
      c = std::make_shared<connection>(ex_, tls_, origin_, opts_);
    }
    auto p = std::move(queue_.front());
    queue_.pop_front();
    start(std::move(c), std::move(p), false);
  }
}

void host_pool::start(std::shared_ptr<connection> c, pending_request p, bool retried) {
  busy_.insert(c);
  // The request stays at a stable address while the exchange (and a possible retry) runs.
  auto sp = std::make_shared<pending_request>(std::move(p));
  auto self = shared_from_this();
  c->run(sp->req, sp->target, [self, c, sp, retried](exchange_result r) {
    self->busy_.erase(c);
    if (r.stale && !retried && !self->stopping_) {
      gc::log::debug("net: {} kept-alive connection was closed by the peer; retrying on a fresh one",
                     self->origin_.authority());
      auto fresh = std::make_shared<connection>(self->ex_, self->tls_, self->origin_, self->opts_);
      return self->start(std::move(fresh), std::move(*sp), true);
    }
    if (r.reusable && !self->stopping_) self->idle_.push_back(c);
    else c->close();
    deliver(sp->done, std::move(r.res));
    self->pump();
  });
}

void host_pool::shutdown() {
  stopping_ = true;
  auto queued = std::move(queue_);
  queue_.clear();
  for (auto& p : queued)
    deliver(p.done, gc::error{"network", origin_.authority() + ": client is shutting down"});
  for (auto& c : idle_) c->close();
  idle_.clear();
  auto running = busy_;  // close() completes their handlers later, through the io_context
  for (auto& c : running) c->close();
}

} // namespace gc::net

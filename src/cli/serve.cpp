// `gmail-capture serve`: migrations, actors, HTTP; graceful shutdown on SIGTERM/SIGINT.
#include "actors/runtime.hpp"
#include "actors/thread_priority.hpp"
#include "actors/sync_service.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/log.hpp"
#include "http/api.hpp"
#include "http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <thread>

namespace gc::cli {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr const char* serve_help = R"(usage: gmail-capture serve

Runs the service: applies pending migrations, starts the actors and the HTTP API on
CRM_HTTP_ADDR, and prints one line "gmail-capture listening on http://HOST:PORT" once ready.
SIGTERM or SIGINT stops it gracefully: no new connections, in-flight requests finish, the
database WAL is checkpointed, exit code 0.

Configuration: environment variables (README.md, "Configuration"). A malformed value stops
start-up with exit code 2 and a message naming the variable.
)";

std::optional<tcp::endpoint> resolve(net::io_context& ioc, const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint{addr, port};
  tcp::resolver resolver{ioc};
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) return std::nullopt;
  return results.begin()->endpoint();
}

// Polls until no request is in flight and no connection is open, or the deadline passes.
void drain_then_stop(net::io_context& ioc, http::server& srv, std::shared_ptr<net::steady_timer> timer,
                     std::chrono::steady_clock::time_point deadline) {
  if ((srv.in_flight() == 0 && srv.connections() == 0) || std::chrono::steady_clock::now() > deadline) {
    if (srv.in_flight() != 0) gc::log::warn("shutdown: {} request(s) still running at the deadline", srv.in_flight());
    ioc.stop();
    return;
  }
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait([&ioc, &srv, timer, deadline](boost::system::error_code) {
    drain_then_stop(ioc, srv, timer, deadline);
  });
}

} // namespace

int cmd_serve(const args& a) {
  if (wants_help(a, serve_help)) return 0;
  auto cfg = load_config_or_report();
  if (!cfg) return 2;
  gc::log::init(cfg->log_level);
  if (!open_migrated(*cfg)) return 1;

  net::io_context ioc;
  auto ep = resolve(ioc, cfg->http_host, cfg->http_port);
  if (!ep) {
    std::fprintf(stderr, "gmail-capture: CRM_HTTP_ADDR: cannot resolve host '%s'\n", cfg->http_host.c_str());
    return 2;
  }

  actors::runtime rt{*cfg, actors::actor_background_nice};  // REST handlers come first
  std::unique_ptr<actors::sync_service> sync;
  if (cfg->gmail_enabled) {
    auto started = actors::sync_service::start(*cfg, rt, true);
    if (!started) {
      std::fprintf(stderr, "gmail-capture: %s\n", started.error().message.c_str());
      return 2;
    }
    sync = std::move(*started);
  }
  http::api_context actx{*cfg, rt};
  if (sync) {
    actx.gmail = sync->services();
    actx.sync = sync.get();
  }
  auto routes = http::make_api_router(actx);
  std::unique_ptr<http::server> srv;
  try {
    srv = std::make_unique<http::server>(ioc, *ep, *routes);
  } catch (const boost::system::system_error& e) {
    std::fprintf(stderr, "gmail-capture: CRM_HTTP_ADDR: cannot listen on %s:%u: %s\n", cfg->http_host.c_str(),
                 static_cast<unsigned>(cfg->http_port), e.code().message().c_str());
    return 1;
  }
  srv->start();
  auto bound = srv->local_endpoint();
  gc::log::info("gmail integration {} (auth {}), database {}", cfg->gmail_enabled ? "enabled" : "disabled",
                core::to_string(cfg->gmail_auth), cfg->db_path);
  std::printf("gmail-capture listening on http://%s:%u\n", bound.address().to_string().c_str(),
              static_cast<unsigned>(bound.port()));
  std::fflush(stdout);

  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    gc::log::info("signal {}: shutting down (in flight: {})", sig, srv->in_flight());
    srv->stop();
    drain_then_stop(ioc, *srv, std::make_shared<net::steady_timer>(ioc),
                    std::chrono::steady_clock::now() + std::chrono::seconds(10));
  });

  std::thread second{[&] { ioc.run(); }};
  ioc.run();
  second.join();
  srv.reset();       // joins the handler pool: no handler touches the runtime after this
  if (sync) sync->stop();  // running sync cycles end at their next Gmail call
  rt.shutdown();     // stops the actors; the store writer checkpoints the WAL
  sync.reset();
  try {
    store::connection c{cfg->db_path};
    c.checkpoint_truncate();
  } catch (const std::exception& e) {
    gc::log::warn("final WAL checkpoint failed: {}", e.what());
  }
  gc::log::info("stopped");
  return 0;
}

} // namespace gc::cli

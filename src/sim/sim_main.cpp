#include "sim/sim_main.hpp"

#include "core/log.hpp"
#include "sim/sim_main_args.hpp"

#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <thread>

namespace gc::sim {

int run_sim(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  auto cli = parse_sim_args(args);
  if (!cli) {
    std::fprintf(stderr, "gmail-capture sim: %s\n", cli.error().message.c_str());
    return 2;
  }
  if (cli->help) {
    std::fputs(sim_usage, stdout);
    return 0;
  }
  try {
    gc::log::init(cli->log_level);
  } catch (const std::exception&) {
    // a logger already exists (the caller initialised logging)
  }

  boost::asio::io_context ioc;
  auto sim = sim_server::create(ioc, cli->opts);
  if (!sim) {
    std::fprintf(stderr, "gmail-capture sim: %s\n", sim.error().message.c_str());
    return sim.error().code == "bad_config" || sim.error().code == "usage" ||
                   sim.error().code == "invalid_argument"
               ? 2
               : 1;
  }
  auto& s = **sim;
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    gc::log::info("sim: signal {}, stopping", sig);
    s.stop();
    ioc.stop();
  });
  s.start();
  const auto& ws = s.ws();
  gc::log::info("sim: domain {} with {} mailboxes; service account {}; token_uri {}", ws.domain(),
                ws.mailboxes().size(), s.account().client_email, s.token_uri());
  std::printf("gmail-capture sim listening on %s\n", s.base_url().c_str());
  std::fflush(stdout);

  std::thread helper([&ioc] { ioc.run(); });
  ioc.run();
  helper.join();
  s.stop();
  return 0;
}

} // namespace gc::sim

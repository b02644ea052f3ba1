// `gmail-capture sim` flag parsing.
#include "sim/sim_main_args.hpp"

#include <catch2/catch.hpp>

using gc::sim::parse_sim_args;

TEST_CASE("sim flags map onto sim_options", "[sim][endpoint][cli]") {
  auto cli = parse_sim_args({"--listen", "127.0.0.1:0", "--workspace", "mailboxes=3,messages=50,seed=9",
                             "--quota", "2026", "--batch-cap=50", "--inflight-cap", "4", "--fail-500", "0.1",
                             "--fail-503", "0.2", "--drop", "0.05", "--slow-ms", "20", "--history-404",
                             "--token-internal-failure", "0.5", "--token-ttl", "60", "--seed", "42",
                             "--tls", "/tmp/x", "--sa-key-out", "/tmp/sa.json", "--dwd-scopes",
                             "gmail.readonly,https://mail.google.com/", "--batch-shuffle", "--live-rate", "2.5"});
  REQUIRE(cli.ok());
  const auto& o = cli->opts;
  CHECK(o.host == "127.0.0.1");
  CHECK(o.port == 0);
  CHECK(o.workspace == "mailboxes=3,messages=50,seed=9");
  CHECK(o.quota.table == gc::core::quota_table::y2026);
  CHECK(o.quota.user_per_min == 6000);   // 2026 default
  CHECK(o.batch.cap == 50);
  CHECK(o.batch.shuffle);
  CHECK(o.quota.inflight_cap == 4);
  CHECK(o.faults.fail_500 == Approx(0.1));
  CHECK(o.faults.fail_503 == Approx(0.2));
  CHECK(o.faults.drop == Approx(0.05));
  CHECK(o.faults.slow_ms == 20);
  CHECK(o.faults.history_404);
  CHECK(o.faults.token_internal_failure == Approx(0.5));
  CHECK(o.faults.seed == 42);
  CHECK(o.token_ttl == std::chrono::seconds(60));
  CHECK(o.tls);
  CHECK(o.tls_dir == "/tmp/x");
  CHECK(o.sa_key_out == "/tmp/sa.json");
  CHECK(o.dwd_scopes == std::vector<std::string>{"https://www.googleapis.com/auth/gmail.readonly",
                                                 "https://mail.google.com/"});
  CHECK(o.live_rate == Approx(2.5));

  auto explicit_limit = parse_sim_args({"--quota", "2026", "--quota-user-per-min", "15000"});
  REQUIRE(explicit_limit.ok());
  CHECK(explicit_limit->opts.quota.user_per_min == 15000);
}

TEST_CASE("bad sim flags are usage errors naming the flag", "[sim][endpoint][cli]") {
  for (std::vector<std::string> bad : {std::vector<std::string>{"--nope"}, {"--listen", "nohost"},
                                       {"--fail-500", "2"}, {"--quota", "1999"}, {"--batch-cap"},
                                       {"--mbox", "a", "--eml-dir", "b"}}) {
    auto r = parse_sim_args(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "usage");
    CHECK(r.error().message.rfind(bad[0], 0) == 0);
  }
  CHECK(parse_sim_args({"--help"})->help);
}

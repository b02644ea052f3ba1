#include "sim/sim_main_args.hpp"

#include <charconv>
#include <functional>
#include <map>

namespace gc::sim {

const char* const sim_usage = R"(usage: gmail-capture sim [options]

Runs a faithful Google stand-in: OAuth token endpoint (/token, /o/oauth2/v2/auth), Gmail API v1
(/gmail/v1/users/...), batch (/batch/gmail/v1), quota metering, fault injection, and sim-only
/__sim/ routes. Prints one line "gmail-capture sim listening on <url>" when ready.

  --listen HOST:PORT          address to bind (default 127.0.0.1:0, port 0 = any)
  --workspace SPEC            demo | mailboxes=N,messages=M,seed=S[,domain=D] (default demo)
  --mbox FILE | --eml-dir DIR serve real mail in one mailbox (see --mailbox)
  --mailbox ADDR              the mailbox for --mbox/--eml-dir (default partner@fund.example)
  --truth FILE                write the truth file (at start and at stop)
  --crm-seed-out FILE         write the CRM seed JSON
  --tls DIR                   serve HTTPS with a fresh test CA; write DIR/ca.pem
  --sa-key-out FILE           write the service-account JSON key (token_uri = this server)
  --sa-key FILE               use this service-account key instead of generating one
  --dwd-scopes LIST           comma-separated DWD allow-list (default gmail.readonly,gmail.compose)
  --oauth-client-id ID        OAuth client (default sim-client.apps.googleusercontent.com)
  --oauth-client-secret S     (default sim-client-secret)
  --oauth-redirect-uri URI    allowed redirect URI (repeatable; default: any)
  --oauth-user ADDR           who consents in /o/oauth2/v2/auth (default: first mailbox)
  --token-ttl SECONDS         access-token lifetime (default 3599)
  --quota legacy|2026         cost table; 2026 also sets 6,000 units/min per user
  --quota-user-per-min N      per-mailbox units per minute (default 15000)
  --quota-project-per-min N   per-project units per minute (default 1200000)
  --quota-style S             queries | legacy | retry_after: the per-user refusal body
  --inflight-cap N            concurrent calls per mailbox before 429 (default 10, 0 = off)
  --batch-cap N               inner calls per batch (default 100; 50 reproduces 2020 Gmail)
  --batch-shuffle             answer batch parts out of order
  --live-rate PER_SEC         live-mail steps per second (default 0)
  --fail-500 RATE             probability of 500 backendError per Gmail call
  --fail-503 RATE             probability of 503 per Gmail call
  --drop RATE                 probability of closing the connection unanswered
  --slow-ms N                 delay every Gmail/batch reply by N ms
  --history-404               every history.list answers 404 notFound
  --token-internal-failure R  probability of 500 internal_failure from /token
  --seed N                    seed for faults, live mail, shuffling (default 1)
  --workers N                 handler threads (default 4)
  --log-level L               debug|info|warn|error (default info; logs go to stderr)
  --log-requests              one log line per request
  -h, --help                  this text
)";

namespace {

gc::error usage(const std::string& flag, const std::string& what) {
  return gc::error{"usage", flag + ": " + what};
}

template <class T>
bool num(const std::string& s, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    try {
      size_t n = 0;
      out = static_cast<T>(std::stod(s, &n));
      return n == s.size();
    } catch (...) {
      return false;
    }
  } else {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
  }
}

std::vector<std::string> csv(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    auto c = s.find(',', start);
    if (c == std::string::npos) c = s.size();
    if (c > start) out.push_back(s.substr(start, c - start));
    start = c + 1;
  }
  return out;
}

} // namespace

gc::result<sim_cli> parse_sim_args(const std::vector<std::string>& args) {
  sim_cli cli;
  auto& o = cli.opts;
  bool user_limit_set = false;
  std::optional<gc::error> err;

  using setter = std::function<void(const std::string& flag, const std::string& v)>;
  auto rate = [&err](double& into) {
    return setter{[&err, p = &into](const std::string& f, const std::string& v) {
      if (!num(v, *p) || *p < 0 || *p > 1) err = usage(f, "expected a probability from 0 to 1, got '" + v + "'");
    }};
  };
  auto integer = [&err](auto& into, long long lo, long long hi) {
    return setter{[&err, p = &into, lo, hi](const std::string& f, const std::string& v) {
      long long x = 0;
      if (!num(v, x) || x < lo || x > hi)
        err = usage(f, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + v + "'");
      else *p = static_cast<std::decay_t<decltype(*p)>>(x);
    }};
  };
  auto text = [](std::string& into) {
    return setter{[p = &into](const std::string&, const std::string& v) { *p = v; }};
  };
  long long ttl = 3599, seed = 1, workers = 4, cap = 100;

  std::map<std::string, setter> with_value = {
      {"--listen", [&](const std::string& f, const std::string& v) {
         auto colon = v.rfind(':');
         long long port = 0;
         if (colon == std::string::npos || !num(v.substr(colon + 1), port) || port < 0 || port > 65535)
           err = usage(f, "expected HOST:PORT with a port 0-65535, got '" + v + "'");
         o.host = v.substr(0, colon);
         if (o.host.size() > 2 && o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
         o.port = static_cast<uint16_t>(port);
       }},
      {"--workspace", text(o.workspace)},
      {"--mbox", text(o.mbox_file)},
      {"--eml-dir", text(o.eml_dir)},
      {"--mailbox", text(o.import_mailbox)},
      {"--truth", text(o.truth_out)},
      {"--crm-seed-out", text(o.crm_seed_out)},
      {"--tls", [&](const std::string&, const std::string& v) { o.tls = true; o.tls_dir = v; }},
      {"--sa-key-out", text(o.sa_key_out)},
      {"--sa-key", text(o.sa_key_in)},
      {"--dwd-scopes", [&](const std::string&, const std::string& v) {
         o.dwd_scopes.clear();
         for (const auto& s : csv(v)) o.dwd_scopes.push_back(full_scope(s));
       }},
      {"--oauth-client-id", text(o.oauth.client_id)},
      {"--oauth-client-secret", text(o.oauth.client_secret)},
      {"--oauth-redirect-uri", [&](const std::string&, const std::string& v) { o.oauth.redirect_uris.push_back(v); }},
      {"--oauth-user", text(o.oauth.test_user)},
      {"--token-ttl", integer(ttl, 1, 86400 * 7)},
      {"--quota", [&](const std::string& f, const std::string& v) {
         auto t = parse_quota_table(v);
         if (!t) err = usage(f, "expected legacy or 2026, got '" + v + "'");
         else o.quota.table = *t;
       }},
      {"--quota-user-per-min", [&](const std::string& f, const std::string& v) {
         integer(o.quota.user_per_min, 1, 1000000000)(f, v);
         user_limit_set = true;
       }},
      {"--quota-project-per-min", integer(o.quota.project_per_min, 1, 1000000000000LL)},
      {"--quota-style", [&](const std::string& f, const std::string& v) {
         if (v == "queries") o.quota.user_style = user_limit_style::queries_403;
         else if (v == "legacy") o.quota.user_style = user_limit_style::legacy_403;
         else if (v == "retry_after") o.quota.user_style = user_limit_style::retry_after_429;
         else err = usage(f, "expected queries, legacy or retry_after, got '" + v + "'");
       }},
      {"--inflight-cap", integer(o.quota.inflight_cap, 0, 100000)},
      {"--batch-cap", integer(cap, 1, 1000)},
      {"--live-rate", [&](const std::string& f, const std::string& v) {
         if (!num(v, o.live_rate) || o.live_rate < 0 || o.live_rate > 100000)
           err = usage(f, "expected steps per second from 0 to 100000, got '" + v + "'");
       }},
      {"--fail-500", rate(o.faults.fail_500)},
      {"--fail-503", rate(o.faults.fail_503)},
      {"--drop", rate(o.faults.drop)},
      {"--slow-ms", integer(o.faults.slow_ms, 0, 600000)},
      {"--token-internal-failure", rate(o.faults.token_internal_failure)},
      {"--seed", integer(seed, 0, std::numeric_limits<long long>::max())},
      {"--workers", integer(workers, 1, 256)},
      {"--log-level", text(cli.log_level)},
  };

  for (size_t i = 0; i < args.size() && !err; ++i) {
    std::string a = args[i], v;
    bool has_inline = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
      has_inline = true;
    }
    if (a == "-h" || a == "--help") { cli.help = true; continue; }
    if (a == "--history-404") { o.faults.history_404 = true; continue; }
    if (a == "--batch-shuffle") { o.batch.shuffle = true; continue; }
    if (a == "--log-requests") { o.log_requests = true; continue; }
    auto it = with_value.find(a);
    if (it == with_value.end()) return usage(a, "unknown option (see --help)");
    if (!has_inline) {
      if (i + 1 >= args.size()) return usage(a, "needs a value");
      v = args[++i];
    }
    it->second(a, v);
  }
  if (err) return *err;
  if (o.quota.table == core::quota_table::y2026 && !user_limit_set) o.quota.user_per_min = 6000;
  if (!o.mbox_file.empty() && !o.eml_dir.empty()) return usage("--mbox", "cannot be combined with --eml-dir");
  o.token_ttl = std::chrono::seconds(ttl);
  o.seed = static_cast<uint64_t>(seed);
  o.faults.seed = o.seed;
  o.batch.seed = o.seed;
  o.batch.cap = static_cast<size_t>(cap);
  o.workers = static_cast<size_t>(workers);
  return cli;
}

} // namespace gc::sim

// `gmail-capture sync --once [--account EMAIL]`: one sync cycle, then exit. For operators and
// tests; the service itself syncs on its interval.
#include "actors/runtime.hpp"
#include "actors/sync_service.hpp"
#include "actors/thread_priority.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/log.hpp"
#include "store/email_accounts_repo.hpp"

#include <cstdio>
#include <strings.h>

namespace gc::cli {

int cmd_sync(const args& a) {
  constexpr const char* help =
      "usage: gmail-capture sync --once [--account EMAIL]\n\n"
      "Runs one sync cycle of every enrolled, enabled mailbox (or of EMAIL, which is enrolled\n"
      "first if it is not yet), prints one line per mailbox, and exits: 0 when every mailbox\n"
      "synced, 1 when one failed (its error is in email_sync_runs and on its account row).\n"
      "Needs CRM_GMAIL_INTEGRATION_ENABLED=true and the Gmail settings (README.md).\n";
  if (wants_help(a, help)) return 0;
  bool once = false;
  for (const auto& x : a) once |= x == "--once";
  bool bad = false;
  auto account = flag_value(a, "--account", bad);
  if (!once || bad) {
    std::fputs(help, stderr);
    return 2;
  }
  auto cfg = load_config_or_report();
  if (!cfg) return 2;
  if (!cfg->gmail_enabled) {
    std::fprintf(stderr, "gmail-capture sync: CRM_GMAIL_INTEGRATION_ENABLED is off\n");
    return 2;
  }
  gc::log::init(cfg->log_level);
  auto conn = open_migrated(*cfg);
  if (!conn) return 1;
  std::vector<store::email_account> targets;
  {
    store::email_accounts_repo repo{*conn};
    if (account) {
      auto id = repo.enroll_account(*account, core::to_string(cfg->gmail_auth));
      if (!id) {
        std::fprintf(stderr, "gmail-capture sync: %s\n", id.error().message.c_str());
        return 2;
      }
    }
    auto all = repo.list_accounts();
    if (!all) {
      std::fprintf(stderr, "gmail-capture sync: %s\n", all.error().message.c_str());
      return 1;
    }
    for (const auto& acc : *all)
      if (account ? acc.email == *account || (acc.email.size() == account->size() &&
                                              strcasecmp(acc.email.c_str(), account->c_str()) == 0)
                  : acc.sync_enabled)
        targets.push_back(acc);
  }
  conn.reset();
  // As in serve, the actor threads (the store writer's commits, the rate limiter) run below
  // this thread, which parses and asks Google for the next batch: on a busy core the next
  // request goes out at once and the writer works while Google answers (18k messages on one
  // core: ~7% less wall time, docs/benchmarks.md).
  actors::runtime rt{*cfg, actors::actor_background_nice};
  auto svc = actors::sync_service::start(*cfg, rt, false);
  if (!svc) {
    std::fprintf(stderr, "gmail-capture: %s\n", svc.error().message.c_str());
    return 2;
  }
  int code = 0;
  for (const auto& acc : targets) {
    auto rep = (*svc)->run_once(acc.id);
    std::printf("%s %s: %s, %lld listed, %lld stored, %lld skipped, %lld quota units%s%s\n", acc.email.c_str(),
                rep.kind.c_str(), rep.error ? "error" : "ok", static_cast<long long>(rep.seen),
                static_cast<long long>(rep.stored), static_cast<long long>(rep.skipped),
                static_cast<long long>(rep.quota_units), rep.error ? ": " : "", rep.error ? rep.error->c_str() : "");
    if (rep.error) code = 1;
  }
  auto att = (*svc)->fetch_attachments_once();
  std::printf("attachments: %lld stored (%lld already on disk), %lld too large, %lld failed\n",
              static_cast<long long>(att.stored), static_cast<long long>(att.deduped),
              static_cast<long long>(att.too_large), static_cast<long long>(att.failed));
  std::fflush(stdout);
  svc->reset();
  rt.shutdown();
  return code;
}

} // namespace gc::cli

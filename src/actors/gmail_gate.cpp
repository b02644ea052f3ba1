#include "actors/gmail_gate.hpp"

#include "actors/messages.hpp"
#include "core/log.hpp"

#include <caf/scoped_actor.hpp>
#include <thread>

namespace gc::actors {

gmail_gate::gmail_gate(caf::actor_system& sys, rate_limiter_actor limiter, gate_options opts,
                       std::function<bool()> stopping)
    : sys_(sys), limiter_(std::move(limiter)), opts_(opts), stopping_(std::move(stopping)) {}

gc::result<permit> gmail_gate::acquire(const std::string& mailbox, core::gmail_method m, int count) {
  caf::scoped_actor self{sys_};
  std::optional<gc::result<permit>> out;
  self->request(limiter_, opts_.permit_timeout, acquire_atom_v, mailbox, m, static_cast<int32_t>(count))
      .receive([&](permit& p) { out = std::move(p); },
               [&](caf::error& e) { out = gc::error{"limiter", "no quota permit: " + sys_.render(e)}; });
  if (out->ok()) units_ += (*out)->units;
  return std::move(*out);
}

void gmail_gate::settle(const permit& p, const gmail::api_error* err) {
  if (err && err->rate_limited) report_throttle(p.mailbox, *err);
  caf::anon_send(limiter_, release_atom_v, p.id);
}

void gmail_gate::report_throttle(const std::string& mailbox, const gmail::api_error& e) {
  if (e.retry_after) {
    auto wait = *e.retry_after - std::chrono::system_clock::now();
    if (wait > std::chrono::seconds(0)) {
      caf::anon_send(limiter_, throttle_atom_v, mailbox,
                     std::chrono::duration_cast<caf::timespan>(wait));
      return;
    }
  }
  caf::anon_send(limiter_, throttle_atom_v, mailbox);
}

bool gmail_gate::should_retry(const gmail::api_error& e, int attempt) const {
  return e.kind == gmail::error_kind::retryable && !e.daily_limit && attempt < opts_.retry_max && !stopping();
}

void gmail_gate::pause_before_retry(const gmail::api_error& e, int attempt) const {
  if (e.rate_limited) return;  // the limiter holds the next permit back
  auto d = opts_.backoff_initial * (1 << std::min(attempt, 10));
  if (d > opts_.backoff_max) d = opts_.backoff_max;
  gc::log::debug("gmail: retry in {} ms after {} {}", d.count(), e.status, e.reason);
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until && !stopping())
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(d, std::chrono::milliseconds(100)));
}

} // namespace gc::actors

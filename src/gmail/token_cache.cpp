#include "gmail/token_cache.hpp"

#include <algorithm>
#include <cctype>

namespace gc::gmail {

token_cache::token_cache(clock_fn now, std::chrono::seconds margin)
    : now_{now ? std::move(now) : clock_fn{[] { return std::chrono::system_clock::now(); }}},
      margin_{margin},
      st_{std::make_shared<state>()} {}

std::string token_cache::key(const std::string& mailbox, const scope_set& scopes) {
  std::string k = mailbox;
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
  return k + '\n' + join_scopes(scopes);
}

void token_cache::get(const std::string& key, const mint_fn& mint, done_fn done) {
  {
    std::unique_lock lock{st_->mu};
    auto& e = st_->entries[key];
    if (e.token && e.token->expires_at - now_() > margin_) {
      auto tok = *e.token;
      lock.unlock();
      return done(std::move(tok));
    }
    e.waiters.push_back(std::move(done));
    if (e.minting) return;
    e.minting = true;
    e.token.reset();
    ++st_->mints;
  }
  // The mint's completion owns a reference to the state, so it may outlive this cache.
  mint([st = st_, key](outcome<access_token> got) {
    std::vector<done_fn> waiters;
    {
      std::lock_guard lock{st->mu};
      auto& e = st->entries[key];
      e.minting = false;
      if (got) e.token = *got;
      waiters.swap(e.waiters);
    }
    for (auto& w : waiters) w(got);
  });
}

void token_cache::invalidate(const std::string& key, const std::string& rejected) {
  std::lock_guard lock{st_->mu};
  auto it = st_->entries.find(key);
  if (it == st_->entries.end() || !it->second.token) return;
  if (rejected.empty() || it->second.token->value == rejected) it->second.token.reset();
}

int token_cache::mints() const {
  std::lock_guard lock{st_->mu};
  return st_->mints;
}

} // namespace gc::gmail

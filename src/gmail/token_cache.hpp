#pragma once
// Access-token cache shared by the auth providers: one entry per key (mailbox + scopes), a token
// is reused until less than `margin` of its life is left, and concurrent requests for the same
// key share one in-flight mint. Errors are not cached. Thread-safe; callbacks run outside the
// lock.
#include "gmail/auth_provider.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace gc::gmail {

using clock_fn = std::function<std::chrono::system_clock::time_point()>;

class token_cache {
public:
  using done_fn = auth_provider::token_callback;
  // Starts one mint; must call its argument exactly once (any thread).
  using mint_fn = std::function<void(done_fn)>;

  token_cache(clock_fn now, std::chrono::seconds margin);

  // Cached token -> done inline; a mint in flight -> done joins it; else `mint` is started.
  void get(const std::string& key, const mint_fn& mint, done_fn done);
  // Drops the cached token (only if its value is `rejected`, when given). A mint in flight is
  // left alone: its token is newer than the rejected one.
  void invalidate(const std::string& key, const std::string& rejected = {});

  // Mints started so far (tests).
  int mints() const;

  static std::string key(const std::string& mailbox, const scope_set& scopes);

private:
  struct entry {
    std::optional<access_token> token;
    std::vector<done_fn> waiters;
    bool minting = false;
  };
  struct state {
    std::mutex mu;
    std::map<std::string, entry> entries;
    int mints = 0;
  };
  clock_fn now_;
  std::chrono::seconds margin_;
  std::shared_ptr<state> st_;
};

} // namespace gc::gmail

#include "actors/refresh_tokens.hpp"

#include "core/log.hpp"
#include "store/oauth_repo.hpp"
#include "store/read_connection.hpp"

namespace gc::actors {

gmail::refresh_token_storage make_refresh_token_storage(const std::string& db_path, runtime& rt) {
  gmail::refresh_token_storage s;
  s.load = [db_path](const std::string& mailbox) -> gc::result<std::optional<std::string>> {
    try {
      return store::oauth_repo{store::read_connection(db_path)}.find_refresh_token(mailbox);
    } catch (const std::exception& e) {
      return gc::error{"sqlite", e.what()};
    }
  };
  s.save = [&rt](const std::string& mailbox, std::string blob, std::function<void(gc::status)> done) {
    rt.write(
        [mailbox, blob = std::move(blob)](store::connection& c) -> int64_t {
          auto id = store::oauth_repo{c}.save_refresh_token(mailbox, blob);
          if (!id) throw std::runtime_error(id.error().message);
          return *id;
        },
        [mailbox, done = std::move(done)](gc::result<int64_t> r) {
          if (!r) return done(r.error());
          gc::log::info("oauth: refresh token stored for account {} ({})", *r, mailbox);
          done(gc::ok_v);
        });
  };
  return s;
}

} // namespace gc::actors

#pragma once
// A migrated SQLite file in a temporary directory, and a gmail::refresh_token_storage over it
// (one mutex-guarded connection) for the OAuth tests.
#include "gmail/oauth_auth.hpp"
#include "store/db.hpp"
#include "store/migrations.hpp"
#include "store/oauth_repo.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <mutex>

namespace gc::test {

inline const std::string key32(32, 'k');   // CRM_GMAIL_SECRET_KEY of the tests

struct db_fixture {
  temp_dir dir;
  std::mutex mu;
  store::connection conn{dir.file("crm.db")};
  db_fixture() { REQUIRE(store::migrate(conn)); }
  std::string path() const { return dir.file("crm.db"); }

  gmail::refresh_token_storage storage() {
    gmail::refresh_token_storage s;
    s.load = [this](const std::string& mb) {
      std::lock_guard lock{mu};
      return store::oauth_repo{conn}.find_refresh_token(mb);
    };
    s.save = [this](const std::string& mb, std::string blob, std::function<void(gc::status)> done) {
      gc::status st = gc::ok_v;
      {
        std::lock_guard lock{mu};
        auto id = store::oauth_repo{conn}.save_refresh_token(mb, blob);
        if (!id) st = id.error();
      }
      done(st);
    };
    return s;
  }

  // The refresh token stored for `mb`, decrypted with key32.
  std::optional<std::string> clear_text(const std::string& mb) {
    std::lock_guard lock{mu};
    auto blob = store::oauth_repo{conn}.find_refresh_token(mb).value();
    if (!blob) return std::nullopt;
    return gmail::open_refresh_token(key32, mb, *blob);
  }
};

} // namespace gc::test

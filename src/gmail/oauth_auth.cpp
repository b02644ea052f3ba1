#include "gmail/oauth_auth.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"

#include <algorithm>
#include <cctype>

namespace gc::gmail {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

api_error auth_failure(std::string reason, std::string message, const std::string& mailbox) {
  api_error e;
  e.kind = error_kind::auth;
  e.reason = std::move(reason);
  e.message = std::move(message);
  e.context = "mailbox " + mailbox;
  return e;
}

} // namespace

std::string seal_refresh_token(std::string_view key32, const std::string& mailbox, std::string_view refresh_token) {
  return core::aes_gcm_encrypt(key32, refresh_token, lower(mailbox));
}

std::optional<std::string> open_refresh_token(std::string_view key32, const std::string& mailbox,
                                              std::string_view blob) {
  if (key32.size() != 32) return std::nullopt;
  return core::aes_gcm_decrypt(key32, blob, lower(mailbox));
}

oauth_auth::oauth_auth(net::http_client& http, oauth_client_config client, std::string secret_key32,
                       refresh_token_storage storage, oauth_options opts)
    : http_{http},
      client_{std::move(client)},
      key_{std::move(secret_key32)},
      storage_{std::move(storage)},
      opts_{std::move(opts)},
      cache_{opts_.clock, opts_.refresh_margin} {
  if (!opts_.clock) opts_.clock = [] { return std::chrono::system_clock::now(); };
}

void oauth_auth::token(const std::string& mailbox, const scope_set& scopes, token_callback done) {
  cache_.get(
      token_cache::key(mailbox, scopes),
      [this, mailbox, scopes](token_cache::done_fn minted) { refresh(mailbox, scopes, std::move(minted)); },
      std::move(done));
}

void oauth_auth::invalidate(const std::string& mailbox, const scope_set& scopes, const std::string& rejected) {
  cache_.invalidate(token_cache::key(mailbox, scopes), rejected);
}

void oauth_auth::refresh(const std::string& mailbox, const scope_set& scopes, token_cache::done_fn done) {
  if (!storage_.load) return done(auth_failure("no_consent", "no refresh-token storage is configured", mailbox));
  auto blob = storage_.load(mailbox);
  if (!blob) {
    api_error e;
    e.kind = error_kind::retryable;
    e.reason = "store";
    e.message = "the stored refresh token could not be read";
    e.context = "mailbox " + mailbox;
    gc::log::error("oauth: reading the refresh token of {} failed: {}", mailbox, blob.error().message);
    return done(std::move(e));
  }
  if (!*blob) return done(auth_failure("no_consent", "no OAuth consent is stored for this mailbox", mailbox));
  auto refresh_token = open_refresh_token(key_, mailbox, **blob);
  if (!refresh_token)
    return done(auth_failure("undecryptable_refresh_token",
                             "the stored refresh token cannot be decrypted with CRM_GMAIL_SECRET_KEY", mailbox));

  form_fields form{{"grant_type", "refresh_token"},
                   {"client_id", client_.client_id},
                   {"client_secret", client_.client_secret},
                   {"refresh_token", *refresh_token}};
  const auto issued = opts_.clock();
  // The callback captures values only: it may run after this provider is gone.
  post_token_form(
      http_, client_.token_uri, std::move(form), opts_.timeout,
      [done = std::move(done), mailbox, issued, storage = storage_, key = key_](outcome<token_grant> g) {
        if (!g) {
          auto e = std::move(g).error();
          e.context = "mailbox " + mailbox;
          gc::log::warn("oauth: refresh refused: {}", describe(e));
          return done(std::move(e));
        }
        if (g->refresh_token && storage.save) {       // rotated: keep the new one
          storage.save(mailbox, seal_refresh_token(key, mailbox, *g->refresh_token), [mailbox](gc::status s) {
            if (!s) gc::log::error("oauth: storing the rotated refresh token of {} failed", mailbox);
          });
        }
        done(access_token{std::move(g->access_token), issued + g->expires_in});
      });
}

void oauth_auth::enrol(const std::string& mailbox, const token_grant& grant, const scope_set& granted,
                       std::function<void(gc::status)> done) {
  if (!grant.refresh_token) return done(gc::error{"no_refresh_token", "Google returned no refresh token"});
  if (!storage_.save) return done(gc::error{"no_storage", "no refresh-token storage is configured"});
  std::string blob;
  try {
    blob = seal_refresh_token(key_, mailbox, *grant.refresh_token);
  } catch (const std::exception&) {
    return done(gc::error{"bad_secret_key", "CRM_GMAIL_SECRET_KEY is not a 32-byte key"});
  }
  // Seed the cache with the access token that came with the consent: no second round trip.
  access_token tok{grant.access_token, opts_.clock() + grant.expires_in};
  cache_.invalidate(token_cache::key(mailbox, granted));
  cache_.get(
      token_cache::key(mailbox, granted), [tok](token_cache::done_fn minted) { minted(tok); },
      [](outcome<access_token>) {});
  storage_.save(mailbox, std::move(blob), std::move(done));
}

void oauth_auth::exchange_code(const std::string& code, const std::string& code_verifier,
                               std::function<void(outcome<token_grant>)> done) {
  form_fields form{{"grant_type", "authorization_code"},
                   {"code", code},
                   {"client_id", client_.client_id},
                   {"client_secret", client_.client_secret},
                   {"redirect_uri", client_.redirect_uri}};
  if (!code_verifier.empty()) form.emplace_back("code_verifier", code_verifier);
  post_token_form(http_, client_.token_uri, std::move(form), opts_.timeout, std::move(done));
}

} // namespace gc::gmail

// OAuth mode: sealed refresh tokens in a real SQLite file, the refresh grant (keep the old
// refresh token, store a rotated one, invalid_grant = re-consent), and the consent flow (URL,
// one-time state bound to the admin, code exchange, enrolment of the mailbox row).
#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "gmail/oauth_consent.hpp"
#include "store/migrations.hpp"
#include "store/oauth_repo.hpp"
#include "support/test_support.hpp"
#include "unit/gmail/db_fixture.hpp"
#include "unit/gmail/error_fixtures.hpp"
#include "unit/gmail/gmail_test_util.hpp"

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using Catch::Matchers::Contains;

namespace {

using test::db_fixture;
using test::key32;

std::map<std::string, std::string> form(const std::string& body) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i <= body.size();) {
    auto amp = body.find('&', i);
    auto item = body.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    if (auto eq = item.find('='); eq != std::string::npos)
      out[item.substr(0, eq)] = core::url_decode(item.substr(eq + 1)).value_or("?");
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return out;
}

http::response_t json_reply(unsigned status, const std::string& body) {
  http::response_t r{static_cast<http::bhttp::status>(status), 11};
  r.set(http::bhttp::field::content_type, "application/json; charset=utf-8");
  r.body() = body;
  r.prepare_payload();
  return r;
}

} // namespace

TEST_CASE("refresh tokens are stored AES-256-GCM sealed, bound to the mailbox, in a real SQLite file",
          "[gmail][oauth][store]") {
  db_fixture db;
  store::oauth_repo repo{db.conn};
  const std::string token = "1//0gLx-refresh-token-value";
  auto blob = seal_refresh_token(key32, "Ann@Fund.example", token);
  CHECK(blob.find(token) == std::string::npos);
  CHECK(blob.size() == 12 + token.size() + 16);
  auto id = repo.save_refresh_token("ann@fund.example", blob);
  REQUIRE(id);
  // The row was created by the enrolment, in OAuth mode.
  store::statement st{db.conn.raw(), "SELECT auth_method, state, sync_enabled, typeof(refresh_token_enc) FROM email_accounts"};
  REQUIRE(st.step());
  CHECK(st.text(0) == "oauth");
  CHECK(st.text(1) == "new");
  CHECK(st.int64(2) == 1);
  CHECK(st.text(3) == "blob");
  // Reopen the file: the blob survived byte for byte and opens only for this mailbox and key.
  store::connection again{db.dir.file("crm.db")};
  auto stored = store::oauth_repo{again}.find_refresh_token("ANN@fund.example");
  REQUIRE(stored);
  REQUIRE(*stored);
  CHECK(**stored == blob);
  CHECK(open_refresh_token(key32, "ann@fund.example", **stored) == token);
  CHECK_FALSE(open_refresh_token(key32, "bob@fund.example", **stored));
  CHECK_FALSE(open_refresh_token(std::string(32, 'x'), "ann@fund.example", **stored));
  CHECK_FALSE(open_refresh_token("short", "ann@fund.example", **stored));
  // A second consent replaces the token on the same row.
  auto id2 = repo.save_refresh_token("ann@fund.example", seal_refresh_token(key32, "ann@fund.example", "1//second"));
  CHECK(*id2 == *id);
  CHECK(db.clear_text("ann@fund.example") == "1//second");
  CHECK(*repo.clear_refresh_token("ann@fund.example"));
  CHECK_FALSE(*repo.find_refresh_token("ann@fund.example"));
  CHECK_FALSE(*repo.find_refresh_token("nobody@fund.example"));
  CHECK(repo.save_refresh_token("", "x").error().code == "invalid");
}

TEST_CASE("the refresh grant keeps or rotates the refresh token and maps invalid_grant to re-consent",
          "[gmail][oauth]") {
  db_fixture db;
  test::fake_google google;
  std::atomic<bool> rotate{false};
  google.routes().post("/token", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    google.record(ctx);
    auto f = form(ctx.req.body());
    if (f["grant_type"] != "refresh_token" || f["client_id"] != "cid" || f["client_secret"] != "csecret")
      return reply(json_reply(401, test::gerr::invalid_client_missing));
    if (f["refresh_token"] == "1//revoked") return reply(json_reply(400, test::gerr::invalid_grant_revoked));
    json body{{"access_token", "ya29.for-" + f["refresh_token"]}, {"expires_in", 3599}, {"token_type", "Bearer"}};
    if (rotate) body["refresh_token"] = "1//rotated";
    reply(json_reply(200, body.dump()));
  });
  google.start();
  net::http_client http;
  oauth_client_config c{"cid", "csecret", "http://127.0.0.1/cb", google.base() + "/o/oauth2/v2/auth",
                        google.base() + "/token"};
  auto auth = std::make_shared<oauth_auth>(http, c, key32, db.storage());

  auto none = await<outcome<access_token>>([&](auto cb) { auth->token("ann@fund.example", scopes::capture, cb); });
  REQUIRE_FALSE(none);
  CHECK(none.error().reason == "no_consent");
  CHECK(none.error().kind == error_kind::auth);

  store::oauth_repo{db.conn}.save_refresh_token("ann@fund.example", seal_refresh_token(key32, "ann@fund.example", "1//old"));
  auto t = await<outcome<access_token>>([&](auto cb) { auth->token("ann@fund.example", scopes::capture, cb); });
  REQUIRE(t);
  CHECK(t->value == "ya29.for-1//old");
  CHECK(db.clear_text("ann@fund.example") == "1//old");        // no refresh_token in the answer: kept

  rotate = true;
  auth->invalidate("ann@fund.example", scopes::capture, t->value);
  auto r = await<outcome<access_token>>([&](auto cb) { auth->token("ann@fund.example", scopes::capture, cb); });
  REQUIRE(r);
  CHECK(db.clear_text("ann@fund.example") == "1//rotated");    // rotation stored (sealed)

  store::oauth_repo{db.conn}.save_refresh_token("bob@fund.example", seal_refresh_token(key32, "bob@fund.example", "1//revoked"));
  auto revoked = await<outcome<access_token>>([&](auto cb) { auth->token("bob@fund.example", scopes::capture, cb); });
  REQUIRE_FALSE(revoked);
  CHECK(revoked.error().kind == error_kind::auth);
  CHECK_THAT(describe(revoked.error()), Contains("re-consent needed"));
  CHECK_THAT(describe(revoked.error()), Contains("bob@fund.example"));

  // A blob sealed for another mailbox (or under another key) does not open.
  store::oauth_repo{db.conn}.save_refresh_token("eve@fund.example", seal_refresh_token(key32, "ann@fund.example", "1//old"));
  auto swapped = await<outcome<access_token>>([&](auto cb) { auth->token("eve@fund.example", scopes::capture, cb); });
  CHECK(swapped.error().reason == "undecryptable_refresh_token");
}

TEST_CASE("consent: URL, one-time state bound to the admin, code exchange, enrolment", "[gmail][oauth]") {
  db_fixture db;
  test::fake_google google;
  std::string verifier_seen;
  google.routes().post("/token", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    auto f = form(ctx.req.body());
    if (f["grant_type"] != "authorization_code" || f["code"] != "4/good" || f["redirect_uri"] != "http://127.0.0.1/cb")
      return reply(json_reply(400, R"({"error":"invalid_grant","error_description":"Malformed auth code."})"));
    verifier_seen = f["code_verifier"];
    reply(json_reply(200, json{{"access_token", "ya29.fresh"}, {"expires_in", 3599}, {"refresh_token", "1//consented"},
                               {"scope", "https://www.googleapis.com/auth/gmail.readonly"}, {"token_type", "Bearer"}}
                              .dump()));
  });
  google.routes().get("/gmail/v1/users/me/profile", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    if (ctx.req[http::bhttp::field::authorization] != "Bearer ya29.fresh") return reply(json_reply(401, test::gerr::auth_error));
    reply(json_reply(200, R"({"emailAddress":"Cara@fund.example","messagesTotal":1,"threadsTotal":1,"historyId":"7"})"));
  });
  google.start();
  net::http_client http;
  oauth_client_config c{"cid", "csecret", "http://127.0.0.1/cb", google.base() + "/o/oauth2/v2/auth",
                        google.base() + "/token"};
  auto auth = std::make_shared<oauth_auth>(http, c, key32, db.storage());
  auto now = std::make_shared<std::atomic<int64_t>>(1700000000);
  oauth_consent consent{auth, google.base(), [now] { return std::chrono::system_clock::time_point{std::chrono::seconds(now->load())}; }};

  auto s = consent.start(7, "cara@fund.example");
  CHECK(s.url.rfind(google.base() + "/o/oauth2/v2/auth?client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb"
                    "&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly"
                    "&access_type=offline&prompt=consent", 0) == 0);
  CHECK_THAT(s.url, Contains("&state=" + s.state));
  CHECK_THAT(s.url, Contains("&login_hint=cara%40fund.example"));
  CHECK_THAT(s.url, Contains("&code_challenge_method=S256"));
  CHECK(s.state.size() >= 43);
  CHECK(s.expires_at == std::chrono::system_clock::time_point{std::chrono::seconds(1700000000 + 600)});

  auto forged = await<outcome<oauth_consent::enrolled>>([&](auto cb) { consent.finish("forged", "4/good", cb); });
  CHECK(forged.error().reason == "bad_state");
  CHECK_THAT(describe(forged.error()), Contains("start connecting the mailbox again"));

  auto ok = await<outcome<oauth_consent::enrolled>>([&](auto cb) { consent.finish(s.state, "4/good", cb); });
  REQUIRE(ok);
  CHECK(ok->mailbox == "Cara@fund.example");
  CHECK(ok->admin_user_id == 7);
  CHECK(ok->granted == scope_set{scopes::readonly});
  CHECK(db.clear_text("cara@fund.example") == "1//consented");
  // PKCE: the verifier sent matches the challenge in the URL.
  CHECK_THAT(s.url, Contains("code_challenge=" + core::base64url_encode(core::sha256(verifier_seen))));
  // The access token that came with the consent is cached: no refresh round trip.
  auto tok = await<outcome<access_token>>([&](auto cb) { auth->token("Cara@fund.example", scopes::capture, cb); });
  CHECK(tok->value == "ya29.fresh");

  auto replay = await<outcome<oauth_consent::enrolled>>([&](auto cb) { consent.finish(s.state, "4/good", cb); });
  CHECK(replay.error().reason == "bad_state");                  // single use

  auto late = consent.start(7);
  *now += 601;
  auto expired = await<outcome<oauth_consent::enrolled>>([&](auto cb) { consent.finish(late.state, "4/good", cb); });
  CHECK(expired.error().reason == "bad_state");
  CHECK(consent.open_states() == 0);

  auto bad_code = consent.start(7);
  auto refused = await<outcome<oauth_consent::enrolled>>([&](auto cb) { consent.finish(bad_code.state, "4/bogus", cb); });
  CHECK(refused.error().kind == error_kind::auth);
  CHECK(refused.error().reason == "invalid_grant");
}

// OAuth mode end to end against the simulator: consent through its /o/oauth2/v2/auth, code
// exchange, sealed refresh token in SQLite, refresh grant, revocation -> re-consent; and the
// same through our own HTTP routes (/api/email/oauth/start and /callback) with the store writer.
#include "actors/refresh_tokens.hpp"
#include "actors/runtime.hpp"
#include "core/crypto.hpp"
#include "gmail/services.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "store/users_repo.hpp"
#include "support/http_client.hpp"
#include "unit/gmail/db_fixture.hpp"
#include "unit/gmail/gmail_test_util.hpp"
#include "unit/gmail/sim_fixture.hpp"

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using Catch::Matchers::Contains;

namespace {

struct url_parts {
  std::string host;
  uint16_t port = 0;
  std::string target;   // path + query
};

url_parts split_url(const std::string& url) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme + 3);
  auto authority = url.substr(scheme + 3, path - scheme - 3);
  auto colon = authority.rfind(':');
  return {authority.substr(0, colon), static_cast<uint16_t>(std::stoi(authority.substr(colon + 1))), url.substr(path)};
}

std::string query_param(const std::string& url, const std::string& name) {
  std::string path;
  std::multimap<std::string, std::string> q;
  REQUIRE(http::split_target(split_url(url).target, path, q));
  auto it = q.find(name);
  return it == q.end() ? std::string{} : it->second;
}

// Follows the consent URL at the simulator: the 302 it answers points at our redirect URI.
std::string consent_redirect(const std::string& consent_url) {
  auto u = split_url(consent_url);
  auto r = test::http_call(u.host, u.port, "GET", u.target);
  REQUIRE(r.status == 302);
  return r.header("location");
}

} // namespace

TEST_CASE("OAuth against the simulator: consent, exchange, refresh, revocation", "[gmail][sim][e2e][oauth]") {
  test::sim_fixture f;
  test::db_fixture db;
  net::http_client http;
  const auto sim_client = f.sim().auth().get_oauth_client();
  oauth_client_config c{sim_client.client_id, sim_client.client_secret, "http://127.0.0.1:9/api/email/oauth/callback",
                        auth_endpoint_for(f.sim().token_uri()), f.sim().token_uri()};
  CHECK(c.auth_endpoint == f.sim().base_url() + "/o/oauth2/v2/auth");
  auto auth = std::make_shared<oauth_auth>(http, c, test::key32, db.storage());
  oauth_consent consent{auth, f.sim().base_url()};
  const auto mb = f.mailbox(1);

  auto started = consent.start(1, mb);
  auto back = consent_redirect(started.url);
  CHECK(back.rfind(c.redirect_uri + "?", 0) == 0);
  CHECK(query_param(back, "state") == started.state);
  auto enrolled = await<outcome<oauth_consent::enrolled>>(
      [&](auto cb) { consent.finish(query_param(back, "state"), query_param(back, "code"), cb); });
  REQUIRE(enrolled);
  CHECK(enrolled->mailbox == mb);
  auto refresh = db.clear_text(mb);
  REQUIRE(refresh);
  CHECK(f.sim().tokens().find_refresh(*refresh));

  client_options o;
  o.api_base = f.sim().base_url();
  client gm{http, auth, o};
  auto p = await<outcome<profile>>([&](auto cb) { gm.get_profile(mb, cb); });
  REQUIRE(p);
  CHECK(p->email_address == mb);
  CHECK(auth->mints() == 1);                         // the consent's access token, cached

  f.sim().clock().advance(std::chrono::seconds(3600));   // access token expires at Google
  auto p2 = await<outcome<profile>>([&](auto cb) { gm.get_profile(mb, cb); });
  REQUIRE(p2);                                       // 401 -> refresh grant -> retry
  CHECK(auth->mints() == 2);
  CHECK(db.clear_text(mb) == refresh);               // no rotation: the old one is kept

  REQUIRE(f.sim().tokens().revoke_subject(mb) >= 1);
  auth->invalidate(mb, scopes::capture);
  auto p3 = await<outcome<profile>>([&](auto cb) { gm.get_profile(mb, cb); });
  REQUIRE_FALSE(p3);
  CHECK(p3.error().kind == error_kind::auth);
  CHECK_THAT(describe(p3.error()), Contains("re-consent needed"));
}

TEST_CASE("the OAuth routes enrol a mailbox through the simulator's consent", "[gmail][sim][e2e][oauth][http]") {
  test::sim_fixture f;
  test::temp_dir dir;
  core::config cfg;
  cfg.db_path = dir.file("crm.db");
  std::string admin_token = core::random_token(), member_token = core::random_token();
  {
    store::connection c{cfg.db_path};
    REQUIRE(store::migrate(c));
    store::users_repo users{c};
    auto admin = users.create_user({"boss", std::nullopt, "Boss", "admin", ""});
    auto member = users.create_user({"intern", std::nullopt, "Intern", "member", ""});
    REQUIRE(users.insert_token({core::sha256_hex(admin_token), *admin, "t", std::nullopt}));
    REQUIRE(users.insert_token({core::sha256_hex(member_token), *member, "t", std::nullopt}));
  }
  const auto sim_client = f.sim().auth().get_oauth_client();
  cfg.gmail_enabled = true;
  cfg.gmail_auth = core::auth_method::oauth;
  cfg.oauth_client_id = sim_client.client_id;
  cfg.oauth_client_secret = sim_client.client_secret;
  cfg.secret_key = test::key32;
  cfg.api_base = f.sim().base_url();
  cfg.token_uri = f.sim().token_uri();

  actors::runtime rt{cfg};
  http::api_context ctx{cfg, rt};
  auto routes = http::make_api_router(ctx);
  boost::asio::io_context ioc;
  auto guard = boost::asio::make_work_guard(ioc);
  http::server srv{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}, *routes};
  const auto port = srv.local_endpoint().port();
  auto bearer = [](const std::string& t) {
    test::http_request_opts o;
    o.headers["Authorization"] = "Bearer " + t;
    return o;
  };

  // Before the Google side exists: 503.
  srv.start();
  std::thread io{[&] { ioc.run(); }};
  CHECK(test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/start", bearer(admin_token)).status == 503);

  cfg.oauth_redirect_uri = "http://127.0.0.1:" + std::to_string(port) + "/api/email/oauth/callback";
  auto services = make_services(cfg, actors::make_refresh_token_storage(cfg.db_path, rt));
  REQUIRE(services);
  ctx.gmail = services->get();
  const auto mb = f.mailbox(0);

  CHECK(test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/start", bearer(member_token)).status == 403);
  CHECK(test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/start").status == 401);
  auto redirect = test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/start?redirect=1", bearer(admin_token));
  CHECK(redirect.status == 302);
  CHECK(redirect.header("location").rfind(f.sim().base_url() + "/o/oauth2/v2/auth?", 0) == 0);

  auto start = test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/start?mailbox=" + mb, bearer(admin_token));
  REQUIRE(start.status == 200);
  auto url = json::parse(start.body)["url"].get<std::string>();
  CHECK(query_param(url, "login_hint") == mb);
  auto back = consent_redirect(url);
  REQUIRE(back.rfind(cfg.oauth_redirect_uri + "?", 0) == 0);

  auto page = test::http_call("127.0.0.1", port, "GET", split_url(back).target);
  CHECK(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  CHECK_THAT(page.body, Contains("Mailbox connected"));
  CHECK_THAT(page.body, Contains(mb));
  {
    store::connection c{cfg.db_path, store::open_mode::read_only};
    auto blob = store::oauth_repo{c}.find_refresh_token(mb);
    REQUIRE(blob);
    REQUIRE(*blob);
    auto clear = open_refresh_token(test::key32, mb, **blob);
    REQUIRE(clear);
    CHECK(f.sim().tokens().find_refresh(*clear));
    store::statement st{c.raw(), "SELECT auth_method FROM email_accounts WHERE email = ?1"};
    st.bind(1, mb);
    REQUIRE(st.step());
    CHECK(st.text(0) == "oauth");
  }
  // The state is single use; a declined consent stores nothing.
  test::http_request_opts as_json;
  as_json.headers["Accept"] = "application/json";
  auto replay = test::http_call("127.0.0.1", port, "GET", split_url(back).target, as_json);
  CHECK(replay.status == 400);
  CHECK(json::parse(replay.body)["error"]["code"] == "bad_state");
  auto declined = test::http_call("127.0.0.1", port, "GET", "/api/email/oauth/callback?error=access_denied&state=x");
  CHECK(declined.status == 400);
  CHECK_THAT(declined.body, Contains("declined"));

  // The stored consent works for the Gmail client.
  auto p = await<outcome<profile>>([&](auto cb) { services->get()->gmail->get_profile(mb, cb); });
  REQUIRE(p);
  CHECK(p->email_address == mb);

  srv.stop();
  guard.reset();
  ioc.stop();
  io.join();
  ctx.gmail = nullptr;
  rt.shutdown();
}

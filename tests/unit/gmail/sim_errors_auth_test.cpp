// Error paths of gmail-api.md §1.1/§3.2 that sim_errors_test.cpp does not cover: the token
// endpoint's own refusals of what the real DWD provider sends (a wrong `aud`, an expired
// `exp`, a malformed subject, internal_failure), and errors over HTTPS with the sim's test CA.
// (A tampered key, an unauthorized scope and an unknown user are in sim_dwd_test.cpp.)
#include "unit/gmail/gmail_test_util.hpp"
#include "unit/gmail/sim_fixture.hpp"

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using gc::test::script_error;
using gc::test::sim_client;
using Catch::Matchers::Contains;

TEST_CASE("the token endpoint refuses the provider's JWT: wrong aud, expired exp, bad subject, internal_failure",
          "[gmail][sim][e2e][errors][dwd]") {
  test::sim_fixture f;
  const auto mb = f.mailbox(0);

  SECTION("wrong aud: the JWT names a token URI that is not the endpoint's") {
    dwd_options d;
    d.token_uri = f.sim().base_url() + "/oauth2/v4/token";   // served, but not an accepted aud
    sim_client c{f, d};
    auto p = c.profile_of(mb);
    REQUIRE_FALSE(p);
    CHECK(p.error().status == 400);
    CHECK(p.error().reason == "invalid_grant");
    CHECK(p.error().message == "Invalid JWT: Failed audience check.");
    CHECK(p.error().kind == error_kind::auth);
  }
  SECTION("expired exp: this machine's clock is two hours slow") {
    dwd_options d;
    d.clock = [] { return std::chrono::system_clock::now() - std::chrono::hours(2); };
    sim_client c{f, d};
    auto p = c.profile_of(mb);
    REQUIRE_FALSE(p);
    CHECK(p.error().reason == "invalid_grant");
    CHECK_THAT(p.error().message, Contains("Token must be a short-lived token"));
    CHECK(p.error().kind == error_kind::auth);
    CHECK_THAT(describe(p.error()), Contains("clock is probably wrong"));
  }
  SECTION("a subject that is not an email address") {
    sim_client c{f};
    auto p = c.profile_of("not-an-email");
    REQUIRE_FALSE(p);
    CHECK(p.error().message == "Not a valid email.");
    CHECK(p.error().kind == error_kind::auth);
  }
  SECTION("internal_failure on every try: retried once, then retryable") {
    auto o = f.sim().faults().options();
    o.token_internal_failure = 1.0;
    f.sim().faults().set_options(o);
    sim_client c{f};
    auto p = c.profile_of(mb);
    REQUIRE_FALSE(p);
    CHECK(p.error().status == 500);
    CHECK(p.error().reason == "internal_failure");
    CHECK(p.error().kind == error_kind::retryable);
    CHECK(f.sim().faults().stats()["token_failures"] == 2);
  }
}

TEST_CASE("errors over HTTPS: in-flight 429 per batch part, injected 500/503, catalog entries",
          "[gmail][sim][e2e][errors][tls]") {
  test::sim_fixture f{test::small_sim(true)};
  REQUIRE(f.sim().base_url().rfind("https://", 0) == 0);
  sim_client c{f};
  const auto mb = f.mailbox(1);
  REQUIRE(c.profile_of(mb));

  SECTION("three inner calls against an in-flight cap of two: the third part is a 429") {
    list_messages_params lp;
    lp.max_results = 3;
    auto l = await<outcome<message_list>>([&](auto cb) { c.gm->list_messages(mb, lp, cb); });
    REQUIRE(l);
    REQUIRE(l->messages.size() == 3);
    auto q = f.sim().quota().options();
    q.inflight_cap = 2;
    f.sim().quota().set_options(q);
    std::vector<std::string> ids;
    for (const auto& m : l->messages) ids.push_back(m.id);
    auto b = await<outcome<std::vector<outcome<message>>>>([&](auto cb) { c.gm->batch_get_messages(mb, ids, {}, cb); });
    REQUIRE(b);
    REQUIRE(b->size() == 3);
    CHECK((*b)[0]);
    CHECK((*b)[1]);
    REQUIRE_FALSE((*b)[2]);
    const auto& e = (*b)[2].error();
    CHECK(e.status == 429);
    CHECK(e.message == "Too many concurrent requests for user");
    CHECK(e.reason == "rateLimitExceeded");
    CHECK(e.kind == error_kind::retryable);
    CHECK(e.rate_limited);
  }
  SECTION("injected 500 backendError and 503") {
    auto o = f.sim().faults().options();
    o.fail_500 = 1.0;
    f.sim().faults().set_options(o);
    auto p = c.profile_of(mb);
    REQUIRE_FALSE(p);
    CHECK(p.error().status == 500);
    CHECK(p.error().reason == "backendError");
    CHECK(p.error().kind == error_kind::retryable);
    CHECK_FALSE(p.error().rate_limited);
    o.fail_500 = 0;
    o.fail_503 = 1.0;
    f.sim().faults().set_options(o);
    auto q = c.profile_of(mb);
    REQUIRE_FALSE(q);
    CHECK(q.error().status == 503);
    CHECK(q.error().kind == error_kind::retryable);
    o.fail_503 = 0;
    f.sim().faults().set_options(o);
    CHECK(c.profile_of(mb));
  }
  SECTION("scripted: Retry after, daily limit, an HTML 502 and a revoked grant") {
    script_error(f, "user_rate_retry_after", mb);
    auto r = c.profile_of(mb);
    REQUIRE_FALSE(r);
    REQUIRE(r.error().retry_after);
    CHECK(*r.error().retry_after == test::script_retry_at);
    script_error(f, "daily_limit", mb);
    auto d = c.profile_of(mb);
    REQUIRE_FALSE(d);
    CHECK(d.error().daily_limit);
    CHECK(d.error().kind == error_kind::retryable);
    script_error(f, "bad_gateway_html", mb);
    auto h = c.profile_of(mb);
    REQUIRE_FALSE(h);
    CHECK(h.error().status == 502);
    CHECK(h.error().message == "Bad Gateway");
    CHECK(h.error().kind == error_kind::retryable);
    c.auth->invalidate(mb, scopes::capture);
    script_error(f, "token_expired_or_revoked", mb, 1, {}, sim::script_target::token);
    auto t = c.profile_of(mb);
    REQUIRE_FALSE(t);
    CHECK(t.error().kind == error_kind::auth);
    CHECK_THAT(describe(t.error()), Contains("re-consent needed"));
    CHECK(c.profile_of(mb));
  }
}

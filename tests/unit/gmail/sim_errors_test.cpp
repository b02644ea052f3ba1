// Every error of gmail-api.md §1.1, §3.2 and §8, produced by the real simulator (its catalog of
// scripted errors, and its own quota, in-flight cap, token expiry, history horizon and token
// checks) and read by the real client over loopback (HTTP, and HTTPS with the sim's test CA):
// the classification must match §3.3/§8. No timing: scripts answer the next N calls exactly.
#include "sim/error_catalog.hpp"
#include "unit/gmail/gmail_test_util.hpp"
#include "unit/gmail/sim_fixture.hpp"

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using Catch::Matchers::Contains;
using std::chrono::system_clock;

namespace {

using test::script_error;
using test::sim_client;

// What gmail-api.md §3.3/§8 say each catalog entry means for the client.
struct expected {
  const char* error;
  error_kind kind;
  bool rate_limited = false;
  bool daily_limit = false;
};
constexpr auto R = error_kind::retryable, P = error_kind::permanent, A = error_kind::auth;
const expected gmail_table[] = {
    {"user_rate_limit", R, true},         {"rate_limit", R, true},
    {"quota_queries", R, true},           {"daily_limit", R, true, true},
    {"domain_policy", P},                 {"insufficient_permissions", P},
    {"access_not_configured", P},         {"delegation_denied", P},
    {"precondition_failed", R},           {"mail_service_not_enabled", P},
    {"too_many_concurrent", R, true},     {"resource_exhausted", R, true},
    {"user_rate_retry_after", R, true},   {"auth_error", A},
    {"not_found", error_kind::not_found}, {"backend_error", R},
    {"auth_backend_500", R},              {"bad_gateway", R},
    {"bad_gateway_html", R},              {"auth_backend_502", R},
    {"service_unavailable", R},           {"gateway_timeout", R},
    {"auth_backend_504", R},
};
const expected token_table[] = {
    {"token_unauthorized_client", A},  {"token_unauthorized_client_legacy", A},
    {"token_invalid_user", A},         {"token_not_valid_email", A},
    {"token_short_lived", A},          {"token_expired_or_revoked", A},
    {"token_invalid_client", A},       {"token_internal_failure", R},
};

const expected* expectation(std::string_view name) {
  for (const auto& e : gmail_table)
    if (e.error == name) return &e;
  for (const auto& e : token_table)
    if (e.error == name) return &e;
  return nullptr;
}

void check_classified(const api_error& got, const sim::catalog_entry& entry, const expected& want) {
  INFO(entry.name << ": " << got.message);
  CHECK(got.status == entry.status);
  CHECK(got.kind == want.kind);
  CHECK(got.rate_limited == want.rate_limited);
  CHECK(got.daily_limit == want.daily_limit);
  if (!entry.reason.empty()) CHECK(got.reason == entry.reason);
  if (entry.shape == sim::error_shape::status_only) CHECK(got.reason == entry.grpc_status);
  if (entry.name == "user_rate_retry_after") {
    REQUIRE(got.retry_after);
    CHECK(*got.retry_after == test::script_retry_at);
  } else {
    CHECK_FALSE(got.retry_after);
  }
  CHECK_FALSE(describe(got).empty());
}

} // namespace

TEST_CASE("every catalog entry reaches the client and is classified as gmail-api.md says",
          "[gmail][sim][e2e][errors]") {
  test::sim_fixture f;
  sim_client c{f};
  const auto mb = f.mailbox(0);
  REQUIRE(c.profile_of(mb));                               // token minted and cached
  for (const auto& entry : sim::error_catalog()) {
    const auto* want = expectation(entry.name);
    INFO(entry.name);
    REQUIRE(want);                                         // the table covers the whole catalog
    if (sim::is_token_entry(entry)) {
      // Token errors: on the next mint (the cached token is dropped first). internal_failure is
      // retried once by the provider, so it takes two in a row to surface.
      c.auth->invalidate(mb, scopes::capture);
      script_error(f, std::string{entry.name}, mb, entry.name == "token_internal_failure" ? 2 : 1, {},
                   sim::script_target::token);
    } else {
      // A 401 is retried once with a new token, so it takes two in a row to surface.
      script_error(f, std::string{entry.name}, mb, entry.name == "auth_error" ? 2 : 1);
    }
    auto p = c.profile_of(mb);
    REQUIRE_FALSE(p);
    check_classified(p.error(), entry, *want);
    if (entry.name == "token_short_lived") CHECK_THAT(describe(p.error()), Contains("clock"));
    REQUIRE(c.profile_of(mb));                             // the script is used up
  }
}

TEST_CASE("a single 401 or token internal_failure is absorbed by one retry", "[gmail][sim][e2e][errors]") {
  test::sim_fixture f;
  sim_client c{f};
  const auto mb = f.mailbox(0);
  REQUIRE(c.profile_of(mb));
  script_error(f, "auth_error", mb);
  REQUIRE(c.profile_of(mb));
  CHECK(c.auth->mints() == 2);
  c.auth->invalidate(mb, scopes::capture);
  script_error(f, "token_internal_failure", mb, 1, {}, sim::script_target::token);
  REQUIRE(c.profile_of(mb));
}

TEST_CASE("history 404 is history_expired, elsewhere not_found, batch parts are classified one by one",
          "[gmail][sim][e2e][errors][batch]") {
  test::sim_fixture f;
  sim_client c{f};
  const auto mb = f.mailbox(0);
  auto p = c.profile_of(mb);
  REQUIRE(p);
  list_messages_params lp;
  lp.max_results = 6;
  auto l = await<outcome<message_list>>([&](auto cb) { c.gm->list_messages(mb, lp, cb); });
  REQUIRE(l);
  REQUIRE(l->messages.size() == 6);

  // Scripted, inside one batch: each inner messages.get takes the next script in order; the
  // history.list part (with a valid start id) takes the history script.
  const char* per_part[] = {"daily_limit", "user_rate_retry_after", "not_found", "backend_error", "domain_policy"};
  for (const char* e : per_part) script_error(f, e, mb, 1, "users.messages.get");
  script_error(f, "not_found", mb, 1, "users.history.list");
  std::vector<batch_call> calls;
  for (const auto& m : l->messages) calls.push_back({core::gmail_method::messages_get, client::message_target(mb, m.id, {})});
  list_history_params hp;
  hp.start_history_id = p->history_id;
  calls.push_back({core::gmail_method::history_list, client::history_target(mb, hp)});
  auto b = await<outcome<std::vector<batch_reply>>>([&](auto cb) { c.gm->batch(mb, calls, cb); });
  REQUIRE(b);
  REQUIRE(b->size() == 7);
  for (size_t i = 0; i < 5; ++i) {
    REQUIRE((*b)[i].error);
    check_classified(*(*b)[i].error, *sim::find_catalog_entry(per_part[i]), *expectation(per_part[i]));
  }
  CHECK((*b)[5].status == 200);
  CHECK_FALSE((*b)[5].error);
  REQUIRE((*b)[6].error);
  CHECK((*b)[6].error->status == 404);
  CHECK((*b)[6].error->kind == error_kind::history_expired);
  CHECK(f.sim().faults().stats()["scripted"].empty());   // every script was used
  auto h_ok = await<outcome<history_list>>([&](auto cb) { c.gm->list_history(mb, hp, cb); });
  REQUIRE(h_ok);                                          // the start id itself is fine

  // Scripted on the outer batch request: one JSON body, the whole batch fails.
  script_error(f, "service_unavailable", mb, 1, {}, sim::script_target::batch);
  auto whole = await<outcome<std::vector<batch_reply>>>([&](auto cb) { c.gm->batch(mb, calls, cb); });
  REQUIRE_FALSE(whole);
  CHECK(whole.error().status == 503);
  CHECK(whole.error().kind == error_kind::retryable);

  // Natural: the retention horizon moves past the stored id; a message that does not exist.
  f.sim().ws().set_history_horizon(mb, p->history_id + 1);
  auto h = await<outcome<history_list>>([&](auto cb) { c.gm->list_history(mb, hp, cb); });
  REQUIRE_FALSE(h);
  CHECK(h.error().kind == error_kind::history_expired);
  CHECK(h.error().message == "Requested entity was not found.");
  auto gone = await<outcome<message>>([&](auto cb) { c.gm->get_message(mb, "00000000deadbeef", {}, cb); });
  REQUIRE_FALSE(gone);
  CHECK(gone.error().kind == error_kind::not_found);
}

TEST_CASE("the simulator's own limits and checks produce Google's errors", "[gmail][sim][e2e][errors]") {
  test::sim_fixture f;
  const auto mb = f.mailbox(0);
  auto quota = [&](sim::user_limit_style style, int64_t user, int64_t project) {
    auto o = f.sim().quota().options();
    o.user_style = style;
    o.user_per_min = user;
    o.project_per_min = project;
    f.sim().quota().set_options(o);
  };
  sim_client c{f};
  REQUIRE(c.profile_of(mb));                               // 1 unit (getProfile)
  f.sim().clock().freeze(system_clock::now());             // quota windows stop moving

  SECTION("per-user quota, all three of Google's bodies") {
    quota(sim::user_limit_style::queries_403, 1, 1000000);
    auto q = c.profile_of(mb);
    REQUIRE_FALSE(q);
    CHECK(q.error().status == 403);
    CHECK(q.error().reason == "rateLimitExceeded");
    CHECK_THAT(q.error().message, Contains("Quota exceeded for quota metric 'Queries'"));
    CHECK(q.error().kind == error_kind::retryable);
    CHECK(q.error().rate_limited);
    quota(sim::user_limit_style::legacy_403, 1, 1000000);
    auto u = c.profile_of(mb);
    REQUIRE_FALSE(u);
    CHECK(u.error().reason == "userRateLimitExceeded");
    CHECK(u.error().rate_limited);
    quota(sim::user_limit_style::retry_after_429, 1, 1000000);
    auto r = c.profile_of(mb);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == 429);
    CHECK(r.error().kind == error_kind::retryable);
    REQUIRE(r.error().retry_after);                        // when the window has room again
    CHECK(*r.error().retry_after > f.sim().clock().now());
    CHECK(*r.error().retry_after <= f.sim().clock().now() + std::chrono::seconds(61));
  }
  SECTION("project quota: 403 'Rate Limit Exceeded'") {
    quota(sim::user_limit_style::queries_403, 1000000, 1);
    auto q = c.profile_of(mb);
    REQUIRE_FALSE(q);
    CHECK(q.error().status == 403);
    CHECK(q.error().message == "Rate Limit Exceeded");
    CHECK(q.error().rate_limited);
  }
  SECTION("expired access tokens: the one retry also gets 401 -> auth") {
    f.sim().tokens().set_ttl(std::chrono::seconds(0));
    c.auth->invalidate(mb, scopes::capture);
    auto q = c.profile_of(mb);
    REQUIRE_FALSE(q);
    CHECK(q.error().status == 401);
    CHECK(q.error().reason == "authError");
    CHECK(q.error().kind == error_kind::auth);
  }
  SECTION("another user's mailbox with this token: 403 Delegation denied -> permanent") {
    auto q = c.get(mb, core::gmail_method::get_profile, client::profile_target(f.mailbox(1)));
    REQUIRE_FALSE(q);
    CHECK(q.error().message == "Delegation denied for " + mb);
    CHECK(q.error().kind == error_kind::permanent);
  }
  SECTION("a scope that does not cover the call: 403 insufficientPermissions -> permanent") {
    sim_client compose{f, {}, {scopes::compose}};
    auto q = await<outcome<message_list>>([&](auto cb) { compose.gm->list_messages(mb, {}, cb); });
    REQUIRE_FALSE(q);
    CHECK(q.error().reason == "insufficientPermissions");
    CHECK(q.error().kind == error_kind::permanent);
  }
  SECTION("a bad parameter: 400 invalidArgument -> permanent") {
    auto q = c.get(mb, core::gmail_method::messages_list, "/gmail/v1/users/me/messages?maxResults=many");
    REQUIRE_FALSE(q);
    CHECK(q.error().reason == "invalidArgument");
    CHECK(q.error().kind == error_kind::permanent);
  }
}

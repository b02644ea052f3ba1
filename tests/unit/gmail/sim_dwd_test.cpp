// End to end against the real simulator over loopback: DWD token mint with the key file the
// simulator wrote, every typed call, batch (incl. per-part 429 from the in-flight cap and the
// outer 400 of the inner-call cap), history (incl. 404 expiry), token expiry -> one refresh,
// refused and tampered keys, and HTTPS with the simulator's test CA.
#include "core/jwt.hpp"
#include "gmail/client.hpp"
#include "gmail/dwd_auth.hpp"
#include "unit/gmail/gmail_test_util.hpp"
#include "unit/gmail/sim_fixture.hpp"

#include <fstream>

using namespace gc;
using namespace gc::gmail;
using gc::test::await;
using Catch::Matchers::Contains;

namespace {

struct dwd_stack {
  net::http_client http;
  std::shared_ptr<dwd_auth> auth;
  std::unique_ptr<client> gm;
  dwd_stack(const std::string& key_path, const std::string& api_base, net::client_options ho = {})
      : http{std::move(ho)} {
    auto a = dwd_auth::from_file(http, key_path);
    REQUIRE(a);
    auth = *a;
    client_options o;
    o.api_base = api_base;
    gm = std::make_unique<client>(http, auth, o);
  }
};

// Every message id of a mailbox, page by page.
std::vector<message_ref> list_all(client& gm, const std::string& mb) {
  std::vector<message_ref> out;
  list_messages_params p;
  p.max_results = 25;
  for (int pages = 0; pages < 100; ++pages) {
    auto l = await<outcome<message_list>>([&](auto cb) { gm.list_messages(mb, p, cb); });
    REQUIRE(l);
    out.insert(out.end(), l->messages.begin(), l->messages.end());
    if (!l->next_page_token) break;
    p.page_token = *l->next_page_token;
  }
  return out;
}

const message_part* find_attachment(const message_part& p) {
  if (p.body.attachment_id && !p.filename.empty()) return &p;
  for (const auto& c : p.parts)
    if (auto* f = find_attachment(c)) return f;
  return nullptr;
}

} // namespace

TEST_CASE("DWD against the simulator: profile, list, get, thread, attachment, batch, history",
          "[gmail][sim][e2e]") {
  test::sim_fixture f;
  dwd_stack s{f.key_path(), f.sim().base_url()};
  const auto mb = f.mailbox(0);
  CHECK(s.auth->token_uri() == f.sim().token_uri());

  auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); });
  REQUIRE(p);
  CHECK(p->email_address == mb);
  CHECK(p->history_id > 0);
  CHECK(s.auth->mints() == 1);

  auto ids = list_all(*s.gm, mb);
  REQUIRE(ids.size() > 25);                            // several pages
  CHECK(static_cast<int64_t>(ids.size()) <= p->messages_total);

  auto m = await<outcome<message>>([&](auto cb) { s.gm->get_message(mb, ids[0].id, {}, cb); });
  REQUIRE(m);
  CHECK(m->id == ids[0].id);
  CHECK(m->thread_id == ids[0].thread_id);
  CHECK(m->internal_date > 1000000000000);
  REQUIRE(m->payload);
  CHECK(m->payload->header_value("message-id"));

  get_message_params raw;
  raw.format = message_format::raw;
  auto r = await<outcome<message>>([&](auto cb) { s.gm->get_message(mb, ids[0].id, raw, cb); });
  REQUIRE(r);
  REQUIRE(r->raw_decoded());
  CHECK_THAT(*r->raw_decoded(), Contains("Message-ID:") || Contains("Message-Id:"));

  auto t = await<outcome<thread>>([&](auto cb) { s.gm->get_thread(mb, ids[0].thread_id, {}, cb); });
  REQUIRE(t);
  bool in_thread = false;
  for (const auto& tm : t->messages) in_thread = in_thread || tm.id == ids[0].id;
  CHECK(in_thread);

  // Batches of 10 (the simulator's in-flight cap per mailbox) until an attachment turns up.
  const message_part* att = nullptr;
  std::vector<outcome<message>> keep;
  for (size_t i = 0; i < ids.size() && !att; i += 10) {
    std::vector<std::string> chunk;
    for (size_t j = i; j < std::min(ids.size(), i + 10); ++j) chunk.push_back(ids[j].id);
    auto b = await<outcome<std::vector<outcome<message>>>>([&](auto cb) { s.gm->batch_get_messages(mb, chunk, {}, cb); });
    REQUIRE(b);
    REQUIRE(b->size() == chunk.size());
    for (size_t j = 0; j < chunk.size(); ++j) {
      REQUIRE((*b)[j]);
      CHECK((*b)[j]->id == chunk[j]);                  // matched to the request, in order
    }
    for (auto& x : *b) keep.push_back(std::move(x));
    for (auto& x : keep)
      if (!att && x->payload) att = find_attachment(*x->payload);
  }
  REQUIRE(att);
  const message* owner = nullptr;
  for (auto& x : keep)
    if (x->payload && find_attachment(*x->payload) == att) owner = &*x;
  REQUIRE(owner);
  auto body = await<outcome<message_part_body>>(
      [&](auto cb) { s.gm->get_attachment(mb, owner->id, *att->body.attachment_id, cb); });
  REQUIRE(body);
  REQUIRE(body->decoded());
  CHECK(static_cast<int64_t>(body->decoded()->size()) == att->body.size);

  // History: nothing since the profile's id; changes after live mail; 404 once expired.
  list_history_params hp;
  hp.start_history_id = p->history_id;
  auto h0 = await<outcome<history_list>>([&](auto cb) { s.gm->list_history(mb, hp, cb); });
  REQUIRE(h0);
  CHECK(h0->history.empty());
  CHECK(h0->history_id == p->history_id);
  f.sim().tick_live(40);
  auto p2 = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); });
  REQUIRE(p2);
  REQUIRE(p2->history_id > p->history_id);          // the seeded live mail touched this mailbox
  {
    auto h1 = await<outcome<history_list>>([&](auto cb) { s.gm->list_history(mb, hp, cb); });
    REQUIRE(h1);
    CHECK(h1->history_id == p2->history_id);
    size_t records = h1->history.size();
    for (auto next = h1->next_page_token; next;) {
      auto page_params = hp;
      page_params.page_token = *next;
      auto hn = await<outcome<history_list>>([&](auto cb) { s.gm->list_history(mb, page_params, cb); });
      REQUIRE(hn);
      records += hn->history.size();
      next = hn->next_page_token;
    }
    CHECK(records > 0);
  }
  auto opts = f.sim().faults().options();
  opts.history_404 = true;
  f.sim().faults().set_options(opts);
  auto expired = await<outcome<history_list>>([&](auto cb) { s.gm->list_history(mb, hp, cb); });
  REQUIRE_FALSE(expired);
  CHECK(expired.error().kind == error_kind::history_expired);
  CHECK(s.auth->mints() == 1);                          // one token served every call
}

TEST_CASE("batch against the simulator: per-part 429 over the in-flight cap, outer 400 over the inner cap",
          "[gmail][sim][e2e][batch]") {
  auto o = test::small_sim();
  o.batch.cap = 50;
  o.batch.shuffle = true;                               // parts come back out of order
  test::sim_fixture f{o};
  dwd_stack s{f.key_path(), f.sim().base_url()};
  const auto mb = f.mailbox(0);
  auto ids = list_all(*s.gm, mb);
  REQUIRE(ids.size() >= 12);
  std::vector<std::string> twelve;
  for (size_t i = 0; i < 12; ++i) twelve.push_back(ids[i].id);
  auto b = await<outcome<std::vector<outcome<message>>>>([&](auto cb) { s.gm->batch_get_messages(mb, twelve, {}, cb); });
  REQUIRE(b);
  int ok = 0, limited = 0;
  for (size_t i = 0; i < twelve.size(); ++i) {
    if ((*b)[i]) {
      ++ok;
      CHECK((*b)[i]->id == twelve[i]);
    } else {
      CHECK((*b)[i].error().status == 429);
      CHECK((*b)[i].error().rate_limited);
      CHECK((*b)[i].error().kind == error_kind::retryable);
      ++limited;
    }
  }
  CHECK(ok == 10);
  CHECK(limited == 2);

  std::vector<batch_call> calls;
  for (size_t i = 0; i < 51; ++i)
    calls.push_back({core::gmail_method::messages_get, client::message_target(mb, ids[i % ids.size()].id, {})});
  CHECK(s.gm->cost(calls) == 51 * 20);                  // 2026 table, per inner call
  auto whole = await<outcome<std::vector<batch_reply>>>([&](auto cb) { s.gm->batch(mb, calls, cb); });
  REQUIRE_FALSE(whole);
  CHECK(whole.error().status == 400);
  CHECK(whole.error().kind == error_kind::permanent);
  CHECK_THAT(whole.error().message, Contains("Inner request count exceeds the limit. Received: 51, Limit: 50"));
}

TEST_CASE("an access token that expired at Google is refreshed once, transparently", "[gmail][sim][e2e]") {
  test::sim_fixture f;
  dwd_stack s{f.key_path(), f.sim().base_url()};
  const auto mb = f.mailbox(0);
  REQUIRE(await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); }));
  CHECK(s.auth->mints() == 1);

  SECTION("expired by time") {
    // Google's clock moves past the token's 3599 s while ours does not: our cache still holds
    // it, Gmail answers 401, the client re-mints once. (The JWT stays within the 60 s skew.)
    f.sim().clock().advance(std::chrono::seconds(3620));
  }
  SECTION("revoked") {
    auto tok = await<outcome<access_token>>([&](auto cb) { s.auth->token(mb, scopes::capture, cb); });
    REQUIRE(f.sim().tokens().revoke(tok->value));
  }
  auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); });
  REQUIRE(p);
  CHECK(p->email_address == mb);
  CHECK(s.auth->mints() == 2);
}

TEST_CASE("refused DWD: missing delegation, unknown user, tampered and damaged keys", "[gmail][sim][e2e]") {
  test::sim_fixture f;
  const auto mb = f.mailbox(0);
  auto key_json = json::parse(std::ifstream{f.key_path()});

  SECTION("scope not in the DWD list -> auth, unauthorized_client in plain words") {
    f.sim().auth().set_dwd_scopes(f.sim().account().client_email, {scopes::compose});
    dwd_stack s{f.key_path(), f.sim().base_url()};
    auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); });
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == error_kind::auth);
    CHECK(p.error().reason == "unauthorized_client");
    CHECK_THAT(describe(p.error()), Contains("domain-wide delegation for mailbox " + mb + ", scopes gmail.readonly"));
  }
  SECTION("a user outside the workspace's mailboxes -> invalid_grant 'Invalid email or User ID'") {
    dwd_stack s{f.key_path(), f.sim().base_url()};
    auto domain = mb.substr(mb.find('@'));
    auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile("nobody" + domain, cb); });
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == error_kind::auth);
    CHECK_THAT(describe(p.error()), Contains("does not exist, was deleted or is suspended"));
  }
  SECTION("a key file holding another private key -> auth, signature words") {
    key_json["private_key"] = core::generate_rsa_key(2048).value().private_pem();
    std::ofstream{f.dir().file("tampered.json")} << key_json.dump();
    dwd_stack s{f.dir().file("tampered.json"), f.sim().base_url()};
    auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(mb, cb); });
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == error_kind::auth);
    CHECK(p.error().reason == "invalid_grant");
    auto words = describe(p.error());
    CHECK_THAT(words, Contains("could not verify the service-account key's signature"));
    CHECK_THAT(words, !Contains("PRIVATE KEY"));
    CHECK_THAT(words, !Contains("eyJ"));
  }
  SECTION("a damaged PEM is refused when the key file is loaded") {
    auto pem = key_json["private_key"].get<std::string>();
    key_json["private_key"] = pem.substr(0, pem.size() / 2);
    std::ofstream{f.dir().file("damaged.json")} << key_json.dump();
    net::http_client http;
    auto a = dwd_auth::from_file(http, f.dir().file("damaged.json"));
    REQUIRE_FALSE(a);
    CHECK(a.error().code == "bad_key");
    CHECK_THAT(a.error().message, Contains("damaged.json"));
    CHECK_THAT(a.error().message, !Contains("PRIVATE KEY"));
  }
}

TEST_CASE("HTTPS to the simulator with its test CA, without the CA the handshake fails", "[gmail][sim][e2e][tls]") {
  test::sim_fixture f{test::small_sim(true)};
  REQUIRE(f.sim().base_url().rfind("https://127.0.0.1:", 0) == 0);
  net::client_options ho;
  ho.ca_file = f.ca_path();
  ho.use_system_store = false;
  dwd_stack s{f.key_path(), f.sim().base_url(), ho};
  auto p = await<outcome<profile>>([&](auto cb) { s.gm->get_profile(f.mailbox(1), cb); });
  REQUIRE(p);
  CHECK(p->email_address == f.mailbox(1));

  dwd_stack untrusted{f.key_path(), f.sim().base_url()};   // system store only
  auto q = await<outcome<profile>>([&](auto cb) { untrusted.gm->get_profile(f.mailbox(1), cb); });
  REQUIRE_FALSE(q);
  CHECK(q.error().kind == error_kind::retryable);
  CHECK(q.error().status == 0);
  CHECK(q.error().reason == "tls");
  CHECK_THAT(describe(q.error()), Contains("Could not reach Google"));
}

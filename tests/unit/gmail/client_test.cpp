// gmail::client against a scripted fake Google on loopback: request shapes, typed parsing,
// the single 401 retry, batch matching and outer batch errors.
#include "gmail/batch_codec.hpp"
#include "gmail/client.hpp"
#include "sim/batch_codec.hpp"
#include "unit/gmail/error_fixtures.hpp"
#include "unit/gmail/gmail_test_util.hpp"

using namespace gc;
using namespace gc::gmail;
using gc::test::await;

namespace {

const char* profile_json = R"({"emailAddress":"ann@fund.example","messagesTotal":12,"threadsTotal":9,"historyId":"18446744073709551000"})";
const char* message_json = R"({"id":"m1","threadId":"t1","labelIds":["INBOX","UNREAD"],"snippet":"hi",
  "historyId":"4242","internalDate":"1700000000123","sizeEstimate":321,
  "payload":{"partId":"","mimeType":"multipart/mixed","filename":"","headers":[{"name":"Subject","value":"Hello"},{"name":"message-id","value":"<a@b>"}],
   "body":{"size":0},"parts":[{"partId":"0","mimeType":"text/plain","filename":"","headers":[],"body":{"size":5,"data":"aGVsbG8="}},
   {"partId":"1","mimeType":"application/pdf","filename":"deck.pdf","headers":[],"body":{"size":9000,"attachmentId":"ANGjdJ8"}}]}})";

struct fixture {
  test::fake_google google;
  net::http_client http;
  std::shared_ptr<test::counting_auth> auth = std::make_shared<test::counting_auth>();
  std::unique_ptr<client> gm;

  void start() {
    google.start();
    client_options o;
    o.api_base = google.base();
    o.costs = core::quota_table::legacy;
    gm = std::make_unique<client>(http, auth, o);
  }
};

http::response_t json_reply(unsigned status, const std::string& body) {
  http::response_t r{static_cast<http::bhttp::status>(status), 11};
  r.set(http::bhttp::field::content_type, "application/json; charset=UTF-8");
  r.body() = body;
  r.prepare_payload();
  return r;
}

} // namespace

TEST_CASE("typed calls send the documented requests and parse the answers", "[gmail][client]") {
  fixture f;
  std::string last_target;
  auto& r = f.google.routes();
  r.get("/gmail/v1/users/{user}/profile", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    f.google.record(ctx);
    reply(json_reply(200, profile_json));
  });
  r.get("/gmail/v1/users/{user}/messages", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    f.google.record(ctx);
    last_target = std::string{ctx.req.target()};
    reply(json_reply(200, R"({"messages":[{"id":"m2","threadId":"t2"},{"id":"m1","threadId":"t1"}],"nextPageToken":"p2","resultSizeEstimate":2})"));
  });
  r.get("/gmail/v1/users/{user}/messages/{id}", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    last_target = std::string{ctx.req.target()};
    reply(json_reply(200, message_json));
  });
  r.get("/gmail/v1/users/{user}/history", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    last_target = std::string{ctx.req.target()};
    reply(json_reply(200, R"({"history":[{"id":"901","messages":[{"id":"m3","threadId":"t3"}],
      "messagesAdded":[{"message":{"id":"m3","threadId":"t3","labelIds":["INBOX"]}}],
      "labelsAdded":[{"message":{"id":"m1","threadId":"t1"},"labelIds":["TRASH"]}]}],"historyId":"905"})"));
  });
  f.start();
  const std::string mb = "ann@fund.example";

  auto p = await<outcome<profile>>([&](auto cb) { f.gm->get_profile(mb, cb); });
  REQUIRE(p);
  CHECK(p->email_address == mb);
  CHECK(p->history_id == 18446744073709551000ull);
  CHECK(f.google.requests().at(0).authorization == "Bearer tok-1");
  CHECK(f.google.requests().at(0).line == "GET /gmail/v1/users/ann@fund.example/profile");

  list_messages_params lp;
  lp.q = "after:1700000000 -in:chats";
  lp.label_ids = {"INBOX", "IMPORTANT"};
  lp.page_token = "p1";
  lp.max_results = 500;
  auto l = await<outcome<message_list>>([&](auto cb) { f.gm->list_messages(mb, lp, cb); });
  REQUIRE(l);
  CHECK(last_target == "/gmail/v1/users/ann%40fund.example/messages?q=after%3A1700000000%20-in%3Achats"
                       "&labelIds=INBOX&labelIds=IMPORTANT&pageToken=p1&maxResults=500");
  REQUIRE(l->messages.size() == 2);
  CHECK(l->messages[0].id == "m2");
  CHECK(l->next_page_token == "p2");

  get_message_params gp;
  gp.format = message_format::metadata;
  gp.metadata_headers = {"From", "Message-ID"};
  auto m = await<outcome<message>>([&](auto cb) { f.gm->get_message(mb, "m1", gp, cb); });
  REQUIRE(m);
  CHECK(last_target == "/gmail/v1/users/ann%40fund.example/messages/m1?format=metadata"
                       "&metadataHeaders=From&metadataHeaders=Message-ID");
  CHECK(m->internal_date == 1700000000123);
  CHECK(m->history_id == 4242);
  CHECK(m->has_label("UNREAD"));
  REQUIRE(m->payload);
  CHECK(m->payload->header_value("Message-ID") == "<a@b>");
  REQUIRE(m->payload->parts.size() == 2);
  CHECK(m->payload->parts[0].body.decoded() == "hello");
  CHECK(m->payload->parts[1].body.attachment_id == "ANGjdJ8");

  list_history_params hp;
  hp.start_history_id = 900;
  hp.history_types = {"messageAdded", "labelAdded"};
  auto h = await<outcome<history_list>>([&](auto cb) { f.gm->list_history(mb, hp, cb); });
  REQUIRE(h);
  CHECK(last_target == "/gmail/v1/users/ann%40fund.example/history?startHistoryId=900"
                       "&historyTypes=messageAdded&historyTypes=labelAdded");
  CHECK(h->history_id == 905);
  REQUIRE(h->history.size() == 1);
  CHECK(h->history[0].messages_added.at(0).label_ids == std::vector<std::string>{"INBOX"});
  CHECK(h->history[0].labels_added.at(0).label_ids == std::vector<std::string>{"TRASH"});
  CHECK_FALSE(h->next_page_token);

  CHECK(f.gm->cost(core::gmail_method::messages_get) == 5);   // legacy table
  CHECK(f.gm->cost({{core::gmail_method::messages_get, ""}, {core::gmail_method::threads_get, ""}}) == 15);
}

TEST_CASE("a 401 invalidates the token and retries exactly once", "[gmail][client]") {
  fixture f;
  std::atomic<int> rejections{0};
  f.google.routes().get("/gmail/v1/users/{user}/profile", http::access::open,
                        [&](http::request_ctx ctx, http::reply_fn reply) {
                          f.google.record(ctx);
                          bool ok = ctx.req[http::bhttp::field::authorization] == "Bearer tok-2" && rejections == 0;
                          if (!ok) {
                            if (ctx.req[http::bhttp::field::authorization] == "Bearer tok-2") ++rejections;
                            return reply(json_reply(401, test::gerr::auth_error));
                          }
                          reply(json_reply(200, profile_json));
                        });
  f.start();
  auto p = await<outcome<profile>>([&](auto cb) { f.gm->get_profile("ann@fund.example", cb); });
  REQUIRE(p);   // tok-1 refused, tok-2 accepted
  CHECK(f.auth->invalidations == 1);
  CHECK(f.google.count("GET /gmail") == 2);

  rejections = 1;   // from now on every token is refused
  auto q = await<outcome<profile>>([&](auto cb) { f.gm->get_profile("ann@fund.example", cb); });
  REQUIRE_FALSE(q);
  CHECK(q.error().kind == error_kind::auth);
  CHECK(q.error().status == 401);
  CHECK(f.google.count("GET /gmail") == 4);   // one retry, not more
}

TEST_CASE("errors come back classified: history 404, not found, bad JSON", "[gmail][client]") {
  fixture f;
  f.google.routes().get("/gmail/v1/users/{user}/history", http::access::open,
                        [](http::request_ctx, http::reply_fn reply) { reply(json_reply(404, test::gerr::not_found)); });
  f.google.routes().get("/gmail/v1/users/{user}/messages/{id}", http::access::open,
                        [](http::request_ctx ctx, http::reply_fn reply) {
                          if (ctx.params.at("id") == "gone") return reply(json_reply(404, test::gerr::not_found));
                          reply(json_reply(200, R"({"threadId":"no id"})"));
                        });
  f.start();
  list_history_params hp;
  hp.start_history_id = 1;
  auto h = await<outcome<history_list>>([&](auto cb) { f.gm->list_history("a@fund.example", hp, cb); });
  REQUIRE_FALSE(h);
  CHECK(h.error().kind == error_kind::history_expired);
  auto m = await<outcome<message>>([&](auto cb) { f.gm->get_message("a@fund.example", "gone", {}, cb); });
  CHECK(m.error().kind == error_kind::not_found);
  auto bad = await<outcome<message>>([&](auto cb) { f.gm->get_message("a@fund.example", "x", {}, cb); });
  CHECK(bad.error().reason == "bad_response");
  CHECK_THAT(bad.error().message, Catch::Matchers::Contains("missing 'id'"));
}

TEST_CASE("batch: Content-ID matching, per-part errors, missing parts, outer 400", "[gmail][client][batch]") {
  fixture f;
  std::atomic<bool> outer_400{false};
  f.google.routes().post("/batch/gmail/v1", http::access::open, [&](http::request_ctx ctx, http::reply_fn reply) {
    f.google.record(ctx);
    if (outer_400) return reply(json_reply(400, test::gerr::batch_too_large));
    auto parts = sim::parse_batch_request(std::string{ctx.req[http::bhttp::field::content_type]}, ctx.req.body());
    if (!parts) return reply(json_reply(400, "{}"));
    std::vector<sim::batch_response_part> out;
    for (auto it = parts->rbegin(); it != parts->rend(); ++it) {      // reversed order
      if (it->target.find("/messages/skip") != std::string::npos) continue;   // no answer at all
      bool limited = it->target.find("/messages/busy") != std::string::npos;
      auto r = json_reply(limited ? 429 : 200,
                          limited ? std::string{test::gerr::too_many_concurrent}
                                  : R"({"id":")" + it->target.substr(it->target.rfind('/') + 1, 2) + R"(","threadId":"t"})");
      out.push_back({it->content_id, std::move(r)});
    }
    http::response_t res{http::bhttp::status::ok, 11};
    res.set(http::bhttp::field::content_type, "multipart/mixed; boundary=batch_server_side");
    res.body() = "\r\n" + sim::render_batch_response(out, "batch_server_side");
    res.prepare_payload();
    reply(std::move(res));
  });
  f.start();
  get_message_params gp;
  gp.format = message_format::minimal;
  auto r = await<outcome<std::vector<outcome<message>>>>([&](auto cb) {
    f.gm->batch_get_messages("ann@fund.example", {"m1", "busy", "m3", "skip"}, gp, cb);
  });
  REQUIRE(r);
  REQUIRE(r->size() == 4);
  REQUIRE((*r)[0]);
  CHECK((*r)[0]->id == "m1");
  REQUIRE_FALSE((*r)[1]);
  CHECK((*r)[1].error().status == 429);
  CHECK((*r)[1].error().rate_limited);
  CHECK((*r)[2]->id == "m3");
  CHECK((*r)[3].error().reason == "batch_missing");
  CHECK((*r)[3].error().kind == error_kind::retryable);
  auto sent = f.google.requests().back();
  CHECK(sent.authorization == "Bearer tok-1");
  CHECK(sent.content_type.rfind("multipart/mixed; boundary=batch_", 0) == 0);
  CHECK(sent.body.find("GET /gmail/v1/users/ann%40fund.example/messages/m1?format=minimal") != std::string::npos);

  outer_400 = true;
  auto whole = await<outcome<std::vector<batch_reply>>>([&](auto cb) {
    f.gm->batch("ann@fund.example", {{core::gmail_method::messages_get, client::message_target("a", "m1", gp)}}, cb);
  });
  REQUIRE_FALSE(whole);
  CHECK(whole.error().kind == error_kind::permanent);
  CHECK(whole.error().status == 400);
  CHECK_THAT(whole.error().message, Catch::Matchers::Contains("Inner request count exceeds the limit"));

  std::vector<batch_call> many(101, batch_call{core::gmail_method::messages_get, "/x"});
  auto too_many = await<outcome<std::vector<batch_reply>>>([&](auto cb) { f.gm->batch("a@fund.example", many, cb); });
  CHECK(too_many.error().reason == "batch_too_large");
  auto none = await<outcome<std::vector<batch_reply>>>([&](auto cb) { f.gm->batch("a@fund.example", {}, cb); });
  CHECK(none->empty());
}

TEST_CASE("network failures are retryable errors", "[gmail][client]") {
  net::http_client http;
  auto auth = std::make_shared<test::counting_auth>();
  client_options o;
  o.api_base = "http://127.0.0.1:1";     // nothing listens on port 1
  auto handed_over = std::make_shared<std::atomic<int>>(0);
  o.executor = [handed_over](std::function<void()> job) {   // e.g. a worker pool; here a thread
    ++*handed_over;
    std::thread{std::move(job)}.detach();
  };
  client gm{http, auth, o};
  auto p = await<outcome<profile>>([&](auto cb) { gm.get_profile("a@fund.example", cb); });
  REQUIRE_FALSE(p);
  CHECK(p.error().kind == error_kind::retryable);
  CHECK(p.error().status == 0);
  CHECK(*handed_over == 1);              // parsing and the callback ran on the executor
}

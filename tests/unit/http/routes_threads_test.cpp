// GET /api/email/threads, /threads/{id}, /messages/{id}/html, /attachments/{id} against the
// real server, router, store and attachment store (api_fixture).
#include "api_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gc;
using gc::test::api_fixture;

namespace {

std::string param_of(const test::http_reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "<no error body>";
  return j["error"].value("parameter", std::string{"<none>"});
}

// T1: Lee -> team (t=1000, both mailboxes), Alice's reply (t=3000); T2: Lee (t=2000);
// T3 unmatched (t=5000); T4 matched but trashed in its only mailbox (t=4000).
struct world {
  api_fixture f;
  int64_t t1 = 0, t2 = 0, t3 = 0, t4 = 0, m1 = 0, m2 = 0, m3 = 0;
  world() {
    auto first = test::inbound("m1@acme.com", "Fund III terms", 1000);
    first.attachments.push_back({"2", "terms.pdf", "application/pdf", "", "att-1", 1234});
    auto o1 = f.store(first, test::seen(f.alice, "g1", "ga"));
    f.store(first, test::seen(f.bob, "h1", "hb"));
    auto o2 = f.store(test::reply_to(test::outbound("m2@fund.vc", "Re: Fund III terms", 3000), "m1@acme.com"),
                      test::seen(f.alice, "g2", "ga", {"SENT"}));
    auto o3 = f.store(test::inbound("m3@acme.com", "Capital call", 2000), test::seen(f.alice, "g3", "gc"));
    auto o4 = f.store(test::inbound("m4@other.com", "Lunch?", 5000, false), test::seen(f.alice, "g4", "gd"));
    auto o5 = f.store(test::inbound("m5@acme.com", "Deleted one", 4000), test::seen(f.alice, "g5", "ge"));
    f.mark_deleted(f.alice, "g5");
    t1 = o1.thread_id, t2 = o3.thread_id, t3 = o4.thread_id, t4 = o5.thread_id;
    m1 = o1.email_id, m2 = o2.email_id, m3 = o3.email_id;
    REQUIRE(o2.thread_id == t1);
  }
};

} // namespace

TEST_CASE("read routes: 401 without a token, 503 while the integration is off", "[http][api][threads]") {
  api_fixture off{false};
  auto r = off.get("/api/email/threads?investor_id=10");
  CHECK(r.status == 503);
  CHECK(json::parse(r.body)["error"]["code"] == "gmail_disabled");
  CHECK(off.get("/api/email/attachments/1").status == 503);
  api_fixture on;
  for (const char* t : {"/api/email/threads?investor_id=10", "/api/email/threads/1",
                        "/api/email/messages/1/html", "/api/email/attachments/1"})
    CHECK(on.get(t, "").status == 401);
  CHECK(on.get("/api/email/threads?investor_id=10", "not-a-token").status == 401);
  CHECK(on.get("/api/email/threads?investor_id=10", on.member_token).status == 200);
}

TEST_CASE("threads: an investor's matched threads, newest first by latest live message", "[http][api][threads]") {
  world w;
  auto j = w.f.get_json("/api/email/threads?investor_id=10", w.f.member_token);
  CHECK(j["investor_id"] == 10);
  REQUIRE(j["threads"].size() == 2);  // T3 unmatched, T4 deleted
  CHECK(j["next_cursor"].is_null());
  auto t = j["threads"][0];
  CHECK(t["id"] == w.t1);
  CHECK(t["message_count"] == 2);
  CHECK(t["subject"] == "Fund III terms");
  CHECK(t["last_message_at"] == "1970-01-01T00:00:03.000Z");
  CHECK(t["last_message"]["id"] == w.m2);
  CHECK(t["last_message"]["from"]["email"] == "alice@fund.vc");
  CHECK(j["threads"][1]["id"] == w.t2);
  CHECK(w.f.get_json("/api/email/threads?investor_id=12")["threads"].empty());
  CHECK(w.f.get("/api/email/threads?investor_id=999").status == 404);
}

TEST_CASE("thread detail: live messages in both directions with parties, body and attachments", "[http][api][threads]") {
  world w;
  auto j = w.f.get_json("/api/email/threads/" + std::to_string(w.t1), w.f.member_token);
  CHECK(j["id"] == w.t1);
  REQUIRE(j["messages"].size() == 2);
  auto m = j["messages"][0];
  CHECK(m["id"] == w.m1);
  CHECK(m["direction"] == "inbound");
  CHECK(m["from"] == json{{"name", "Lee Partner"}, {"email", "lee@acme.com"}});
  CHECK(m["to"].size() == 2);
  CHECK(m["cc"].empty());
  CHECK(m["body_text"] == "Body of Fund III terms");
  CHECK(m["has_html"] == false);
  CHECK(m["html_url"].is_null());
  CHECK(m["mailboxes"].size() == 2);
  CHECK(m["investors"][0]["investor_id"] == 10);
  CHECK(m["investors"][0]["contact_name"] == "Lee Partner");
  REQUIRE(m["attachments"].size() == 1);
  auto a = m["attachments"][0];
  CHECK(a["filename"] == "terms.pdf");
  CHECK(a["content_type"] == "application/pdf");
  CHECK(a["size"] == 1234);
  CHECK(a["downloaded"] == false);
  CHECK(a["url"] == "/api/email/attachments/" + std::to_string(a["id"].get<int64_t>()));
  CHECK(j["messages"][1]["direction"] == "outbound");
  // Not shown: unmatched, deleted, unknown.
  for (auto id : {w.t3, w.t4, int64_t{99999}})
    CHECK(w.f.get("/api/email/threads/" + std::to_string(id)).status == 404);
}

TEST_CASE("threads: every bad parameter is a 400 naming it", "[http][api][threads]") {
  api_fixture f;
  struct bad { const char* target; const char* param; };
  for (auto [target, param] : {bad{"/api/email/threads", "investor_id"},
                               bad{"/api/email/threads?investor_id=abc", "investor_id"},
                               bad{"/api/email/threads?investor_id=-3", "investor_id"},
                               bad{"/api/email/threads?investor_id=0", "investor_id"},
                               bad{"/api/email/threads?investor_id=99999999999999999999", "investor_id"},
                               bad{"/api/email/threads?investor_id=10&limit=0", "limit"},
                               bad{"/api/email/threads?investor_id=10&limit=201", "limit"},
                               bad{"/api/email/threads?investor_id=10&limit=ten", "limit"},
                               bad{"/api/email/threads?investor_id=10&cursor=garbage", "cursor"},
                               bad{"/api/email/threads?investor_id=10&cursor=YTEuMS4xLjEuMQ", "cursor"},
                               bad{"/api/email/threads/abc", "id"},
                               bad{"/api/email/threads/1.5", "id"},
                               bad{"/api/email/messages/x/html", "id"},
                               bad{"/api/email/attachments/-1", "id"}}) {
    auto r = f.get(target);
    INFO(target << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(param_of(r) == param);
    CHECK(r.body.find("SQL") == std::string::npos);
  }
  CHECK(f.get("/api/email/threads?investor_id=10&limit=200").status == 200);
}

TEST_CASE("html body: sandbox CSP, nosniff, cid: images rewritten to the attachment route", "[http][api][content]") {
  api_fixture f;
  auto e = test::inbound("html@acme.com", "Newsletter", 1000);
  e.body_html = "<p>Hi</p><img src=\"cid:logo@acme\"><img src='https://tracker.example/p.gif'>"
                "<div style=\"background:url(cid:bg%40acme)\">x</div><img src=\"cid:unknown@x\">";
  e.attachments = {{"2", "logo.png", "image/png", "logo@acme", "a1", 10}, {"3", "bg.png", "image/png", "bg@acme", "a2", 10}};
  auto o = f.store(e, test::seen(f.alice, "g1", "ga"));
  auto ids = f.attachment_ids(o.email_id);
  REQUIRE(ids.size() == 2);
  auto r = f.get("/api/email/messages/" + std::to_string(o.email_id) + "/html", f.member_token);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "text/html; charset=utf-8");
  CHECK(r.header("x-content-type-options") == "nosniff");
  auto csp = r.header("content-security-policy");
  CHECK(csp.rfind("sandbox; default-src 'none'; img-src cid: http://127.0.0.1/api/email/attachments/ "
                  "https://127.0.0.1/api/email/attachments/; ", 0) == 0);
  CHECK(csp.find("allow-scripts") == std::string::npos);
  CHECK(csp.find("*") == std::string::npos);
  CHECK(r.body.find("src=\"/api/email/attachments/" + std::to_string(ids[0]) + "\"") != std::string::npos);
  CHECK(r.body.find("url(/api/email/attachments/" + std::to_string(ids[1]) + ")") != std::string::npos);
  CHECK(r.body.find("cid:logo") == std::string::npos);
  CHECK(r.body.find("cid:unknown@x") != std::string::npos);  // left alone; the CSP blocks it

  auto plain = f.store(test::inbound("plain@acme.com", "Plain", 2000), test::seen(f.alice, "g2", "gb"));
  auto nohtml = f.get("/api/email/messages/" + std::to_string(plain.email_id) + "/html");
  CHECK(nohtml.status == 404);
  CHECK(json::parse(nohtml.body)["error"]["code"] == "no_html");
  CHECK(f.get("/api/email/messages/99999/html").status == 404);
  auto personal = test::inbound("personal@else.example", "Personal", 3000, false);
  personal.body_html = "<p>private</p>";
  auto p = f.store(personal, test::seen(f.alice, "g3", "gc"));
  CHECK(f.get("/api/email/messages/" + std::to_string(p.email_id) + "/html").status == 404);  // unmatched
  f.mark_deleted(f.alice, "g1");
  CHECK(f.get("/api/email/messages/" + std::to_string(o.email_id) + "/html").status == 404);
}

TEST_CASE("attachments: the stored file with a safe disposition and a passive content type", "[http][api][content]") {
  api_fixture f;
  auto e = test::inbound("att@acme.com", "Files", 1000);
  e.attachments = {{"2", "evil\"name\r\nX-Injected: 1/..\\r\xc3\xa9sum\xc3\xa9.pdf", "application/pdf", "", "a1", 5},
                   {"3", "page.html", "text/html", "", "a2", 5},
                   {"4", "logo.svg", "image/svg+xml; charset=utf-8", "", "a3", 5},
                   {"5", "later.bin", "application/zip", "", "a4", 5}};
  auto o = f.store(e, test::seen(f.alice, "g1", "ga"));
  auto ids = f.attachment_ids(o.email_id);
  REQUIRE(ids.size() == 4);
  const std::string pdf = std::string("%PDF-1.4\0binary\r\n", 17);
  f.store_file(ids[0], pdf);
  f.store_file(ids[1], "<script>alert(1)</script>");
  f.store_file(ids[2], "<svg onload=alert(1)/>");

  auto r = f.get("/api/email/attachments/" + std::to_string(ids[0]), f.member_token);
  REQUIRE(r.status == 200);
  CHECK(r.body == pdf);
  CHECK(r.header("content-type") == "application/pdf");
  CHECK(r.header("x-content-type-options") == "nosniff");
  auto cd = r.header("content-disposition");
  CHECK(cd == "attachment; filename=\"evil_name__X-Injected: 1_.._r_sum_.pdf\"; "
              "filename*=UTF-8''evil_name__X-Injected%3A%201_.._r%C3%A9sum%C3%A9.pdf");
  CHECK(r.headers.count("x-injected") == 0);

  CHECK(f.get("/api/email/attachments/" + std::to_string(ids[1])).header("content-type") == "application/octet-stream");
  CHECK(f.get("/api/email/attachments/" + std::to_string(ids[2])).header("content-type") == "application/octet-stream");
  auto pending = f.get("/api/email/attachments/" + std::to_string(ids[3]));
  CHECK(pending.status == 404);
  CHECK(json::parse(pending.body)["error"]["code"] == "not_downloaded");
  CHECK(json::parse(pending.body)["error"]["message"].get<std::string>().find("not downloaded yet") != std::string::npos);
  CHECK(f.get("/api/email/attachments/99999").status == 404);
  f.exec("UPDATE email_attachments SET status = 'too_large' WHERE id = " + std::to_string(ids[3]));
  auto big = f.get("/api/email/attachments/" + std::to_string(ids[3]));
  CHECK(big.status == 404);
  CHECK(json::parse(big.body)["error"]["message"].get<std::string>().find("CRM_GMAIL_MAX_ATTACHMENT_MB") != std::string::npos);
  f.exec("UPDATE email_attachments SET status = 'stored', storage_path = 'email_attachments/ab/" + std::string(64, 'a') +
         "' WHERE id = " + std::to_string(ids[3]));
  auto gone = f.get("/api/email/attachments/" + std::to_string(ids[3]));
  CHECK(gone.status == 404);
  CHECK(json::parse(gone.body)["error"]["code"] == "file_missing");
  f.exec("UPDATE email_attachments SET storage_path = '../../etc/passwd' WHERE id = " + std::to_string(ids[3]));
  CHECK(f.get("/api/email/attachments/" + std::to_string(ids[3])).status == 404);
  f.mark_deleted(f.alice, "g1");  // deleted mail is not served
  CHECK(f.get("/api/email/attachments/" + std::to_string(ids[0])).status == 404);
}

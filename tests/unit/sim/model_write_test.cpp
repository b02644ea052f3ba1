// Writes (drafts, send), loading real mail (.eml directory, mbox) and concurrent access.
#include "model_support.hpp"

#include "sim/mime_split.hpp"
#include "support/test_support.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

using namespace gc;
using namespace gc::sim;
using namespace gc::sim::test;

namespace {

json first_thread_message(const workspace& w, const std::string& user) {
  for (auto& t : truth_of(w))
    if (t["type"] == "message" && t["mailbox"] == user && !t["messageId"].is_null() && t["capture"] &&
        !t["softDeleted"] && t["subject"].get<std::string>().rfind("Re:", 0) != 0 && !t["subject"].get<std::string>().empty())
      return t;
  FAIL("no message");
  return {};
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST_CASE("drafts thread only when references and subject match, update replaces the id", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  auto parent = first_thread_message(*w, user);
  std::string raw = "From: partner@fund.example\r\nTo: x@lp.example\r\nSubject: Re: " +
                    parent["subject"].get<std::string>() + "\r\nIn-Reply-To: " + parent["messageId"].get<std::string>() +
                    "\r\nReferences: " + parent["messageId"].get<std::string>() + "\r\n\r\nThanks!\r\n";
  auto h0 = w->current_history_id(user);
  auto d = w->create_draft(user, raw, parent["threadId"]);
  REQUIRE(d.ok());
  CHECK((*d)["message"]["threadId"] == parent["threadId"]);
  CHECK((*d)["message"]["labelIds"] == json::array({"DRAFT"}));
  CHECK((*d)["id"].get<std::string>().rfind("r", 0) == 0);
  auto added = w->list_history(user, [&] { history_params p; p.start_history_id = std::to_string(h0); return p; }());
  CHECK((*added)["history"][0]["messagesAdded"][0]["message"]["id"] == (*d)["message"]["id"]);
  auto stored = raw_of(*w, user, (*d)["message"]["id"]);
  CHECK(parse_message(stored).header("Message-ID"));   // added by the server
  std::string wrong = raw;
  wrong.replace(wrong.find("Subject: Re: "), 13, "Subject: Other ");
  auto d2 = w->create_draft(user, wrong, parent["threadId"]);
  CHECK((*d2)["message"]["threadId"] != parent["threadId"]);
  auto u = w->update_draft(user, (*d)["id"], raw, parent["threadId"]);
  REQUIRE(u.ok());
  CHECK((*u)["id"] == (*d)["id"]);
  CHECK((*u)["message"]["id"] != (*d)["message"]["id"]);
  CHECK(w->get_message(user, (*d)["message"]["id"], get_params{}).error().code == "not_found");
  CHECK(w->update_draft(user, "r123", raw, "").error().code == "not_found");
  CHECK(w->create_draft(user, "no header here", "").error().code == "invalid_argument");
}

TEST_CASE("send delivers to internal recipients with the same Message-ID, Bcc stripped", "[sim][model]") {
  auto w = demo();
  auto boxes = w->mailboxes();
  std::string raw = "From: partner@fund.example\r\nTo: " + boxes[1] + ", lp@outside.example\r\nBcc: " + boxes[2] +
                    "\r\nSubject: Weekly digest\r\nMessage-ID: <digest-1@fund.example>\r\n\r\nHello\r\n";
  auto s = w->send_message(boxes[0], raw, "");
  REQUIRE(s.ok());
  CHECK((*s)["labelIds"] == json::array({"SENT"}));
  for (size_t i : {1, 2}) {
    list_params p;
    p.q = "rfc822msgid:<digest-1@fund.example>";
    auto r = w->list_messages(boxes[i], p);
    REQUIRE((*r)["messages"].size() == 1);
    auto id = (*r)["messages"][0]["id"].get<std::string>();
    CHECK(id != (*s)["id"]);
    CHECK(minimal(*w, boxes[i], id)["labelIds"] == json::array({"INBOX", "UNREAD"}));
    CHECK(raw_of(*w, boxes[i], id).find("Bcc:") == std::string::npos);
  }
  CHECK(raw_of(*w, boxes[0], (*s)["id"]).find("Bcc:") != std::string::npos);
  CHECK(w->send_message(boxes[0], "Subject: nobody\r\n\r\nx", "").error().code == "invalid_argument");
}

TEST_CASE("an .eml directory loads into one mailbox with threads and labels", "[sim][model]") {
  gc::test::temp_dir dir;
  write_file(dir.file("1.eml"), "From: Ann <ann@lp.example>\nTo: me@fund.example\nSubject: Capital call\n"
                                "Date: Mon, 1 Jul 2024 10:00:00 +0000\nMessage-ID: <one@lp.example>\n\nPlease wire.\n");
  write_file(dir.file("2.eml"), "From: me@fund.example\nTo: Ann <ann@lp.example>\nSubject: Re: Capital call\n"
                                "Date: Mon, 1 Jul 2024 12:00:00 +0000\nMessage-ID: <two@fund.example>\n"
                                "In-Reply-To: <one@lp.example>\nReferences: <one@lp.example>\n"
                                "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nDone.\n"
                                "--b\nContent-Type: application/pdf; name=r.pdf\nContent-Transfer-Encoding: base64\n\n"
                                "JVBERi0=\n--b--\n");
  write_file(dir.file("3.eml"), "From: spam@x.example\nTo: me@fund.example\nSubject: Capital call\n"
                                "Date: Tue, 2 Jul 2024 10:00:00 +0000\nX-Gmail-Labels: Spam,Unread\n\nWin!\n");
  auto w = workspace::from_eml_dir(dir.path().string(), "me@fund.example");
  REQUIRE(w.ok());
  auto& ws = **w;
  CHECK(ws.mailboxes() == std::vector<std::string>{"me@fund.example"});
  list_params p;
  p.include_spam_trash = true;
  auto all = list_all(ws, "me@fund.example", p);
  REQUIRE(all.size() == 3);
  CHECK(minimal(ws, "me@fund.example", all[0]["id"])["labelIds"] == json::array({"SPAM", "UNREAD"}));
  CHECK(all[1]["threadId"] == all[2]["threadId"]);   // reply threads by References + subject
  CHECK(all[0]["threadId"] != all[2]["threadId"]);   // same subject, no references
  CHECK(minimal(ws, "me@fund.example", all[1]["id"])["labelIds"] == json::array({"SENT"}));
  CHECK(minimal(ws, "me@fund.example", all[2]["id"])["internalDate"] == "1719828000000");
  auto full = *ws.get_message("me@fund.example", all[1]["id"], get_params{});
  auto& pdf = full["payload"]["parts"][1];
  CHECK(pdf["filename"] == "r.pdf");
  auto att = ws.get_attachment("me@fund.example", all[1]["id"], pdf["body"]["attachmentId"]);
  CHECK(b64((*att)["data"]) == "%PDF-");
  CHECK(raw_of(ws, "me@fund.example", all[2]["id"]).find("\r\nPlease wire.\r\n") != std::string::npos);
  auto truth = truth_of(ws);
  CHECK(truth.size() == 4);
  CHECK(truth[1]["messageId"] == "<one@lp.example>");
  CHECK(truth[3]["messageId"].is_null());
}

TEST_CASE("an mbox loads by domain into every addressed mailbox", "[sim][model]") {
  gc::test::temp_dir dir;
  write_file(dir.file("a.mbox"), "From x Mon Jul  1 10:00:00 2024\nFrom: a@fund.example\nTo: b@fund.example, c@out.example\n"
                                 "Subject: hi\nMessage-ID: <m1@fund.example>\nDate: Mon, 1 Jul 2024 10:00:00 +0000\n\nhello\n\n"
                                 "From y Mon Jul  1 11:00:00 2024\nReceived: from x by y; Mon, 1 Jul 2024 11:00:00 +0000\n"
                                 "From: c@out.example\nTo: b@fund.example\nSubject: yo\n\n>From me\n");
  auto w = workspace::from_mbox(dir.file("a.mbox"), "fund.example");
  REQUIRE(w.ok());
  auto boxes = (*w)->mailboxes();
  std::sort(boxes.begin(), boxes.end());
  CHECK(boxes == std::vector<std::string>{"a@fund.example", "b@fund.example"});
  CHECK(list_all(**w, "a@fund.example", list_params{}).size() == 1);
  auto b = list_all(**w, "b@fund.example", list_params{});
  REQUIRE(b.size() == 2);
  CHECK(raw_of(**w, "b@fund.example", b[0]["id"]).find("\r\nFrom me\r\n") != std::string::npos);
  CHECK(minimal(**w, "b@fund.example", b[0]["id"])["internalDate"] == "1719831600000");   // Received
  CHECK_FALSE(workspace::from_mbox(dir.file("missing.mbox"), "x@y").ok());
}

TEST_CASE("concurrent readers while live mail arrives", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        auto l = w->list_messages(user, list_params{});
        if (l.ok() && l->contains("messages"))
          for (auto& m : (*l)["messages"]) {
            auto r = w->get_message(user, m["id"], get_params{});
            if (r.ok()) ++reads;
          }
      }
    });
  std::mt19937_64 rng(11);
  for (int i = 0; i < 50; ++i) w->tick_live(rng);
  while (reads < 300) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(reads >= 300);
}

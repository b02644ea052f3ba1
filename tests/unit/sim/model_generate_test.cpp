// The synthetic fund: determinism, cross-mailbox identity, and the tricky mail it must contain.
#include "model_support.hpp"

#include "sim/mime_split.hpp"

#include <map>
#include <set>

using namespace gc;
using namespace gc::sim;
using namespace gc::sim::test;

TEST_CASE("same seed renders a byte-identical workspace, another seed differs", "[sim][model]") {
  auto a = demo(7), b = demo(7), c = demo(8);
  REQUIRE(a->mailboxes() == b->mailboxes());
  CHECK(a->mailboxes().size() == 5);
  CHECK(a->domain() == "fund.example");
  size_t compared = 0;
  for (auto& user : a->mailboxes()) {
    list_params p;
    p.include_spam_trash = true;
    auto ia = list_all(*a, user, p), ib = list_all(*b, user, p);
    REQUIRE(ia == ib);
    for (auto& m : ia) {
      auto id = m["id"].get<std::string>();
      REQUIRE(raw_of(*a, user, id) == raw_of(*b, user, id));
      ++compared;
    }
    CHECK(a->profile(user)->dump() == b->profile(user)->dump());
  }
  CHECK(compared > 400);   // internal CCs put one email into several mailboxes
  std::stringstream ta, tb, tc;
  a->write_truth(ta);
  b->write_truth(tb);
  c->write_truth(tc);
  CHECK(ta.str() == tb.str());
  CHECK(ta.str() != tc.str());
}

TEST_CASE("one email in two mailboxes: same Message-ID, different ids and threadIds", "[sim][model]") {
  auto w = demo();
  std::map<std::string, std::vector<json>> by_msgid;
  for (auto& t : truth_of(*w))
    if (t["type"] == "message" && !t["messageId"].is_null()) by_msgid[t["messageId"]].push_back(t);
  int shared = 0;
  for (auto& [mid, copies] : by_msgid) {
    if (copies.size() < 2) continue;
    ++shared;
    std::set<std::string> boxes, ids;
    for (auto& c : copies) {
      boxes.insert(c["mailbox"].get<std::string>());
      ids.insert(c["id"].get<std::string>());
      CHECK(c["mailKey"] == copies[0]["mailKey"]);
    }
    CHECK(boxes.size() == copies.size());
    CHECK(ids.size() == copies.size());
    for (auto& c : copies) {   // rfc822msgid: finds exactly this copy in its mailbox
      list_params p;
      p.include_spam_trash = true;
      p.q = "rfc822msgid:" + mid;
      auto r = w->list_messages(c["mailbox"], p);
      REQUIRE(r.ok());
      REQUIRE((*r)["messages"].size() == 1);
      CHECK((*r)["messages"][0]["id"] == c["id"]);
      CHECK((*r)["messages"][0]["threadId"] == c["threadId"]);
    }
    CHECK(copies[0]["threadId"] != copies[1]["threadId"]);
  }
  CHECK(shared > 20);
}

TEST_CASE("the demo contains every kind of tricky mail", "[sim][model]") {
  auto w = demo();
  std::map<std::string, int> seen;
  std::set<std::string> keys;
  for (auto& t : truth_of(*w)) {
    if (t["type"] != "message") continue;
    for (auto& l : t["labels"]) ++seen["label:" + l.get<std::string>()];
    if (t["messageId"].is_null()) ++seen[t["capture"].get<bool>() ? "no-msgid" : "no-msgid-chat"];
    for (auto& a : t["attachments"]) ++seen["att:" + a["mimeType"].get<std::string>()];
    if (!keys.insert(t["mailKey"].get<std::string>()).second) continue;
    auto raw = raw_of(*w, t["mailbox"], t["id"]);
    for (std::string probe : {"=?UTF-8?B?", "=?UTF-8?Q?", "=?ISO-8859-1?Q?", "charset=\"ISO-8859-1\"",
                              "charset=\"windows-1252\"", "quoted-printable", "Content-Transfer-Encoding: base64",
                              "multipart/alternative", "multipart/related", "message/rfc822", "Content-ID: <",
                              "List-Id:", "In-Reply-To:", "References:", "filename*=UTF-8''", "Message-Id:"})
      if (raw.find(probe) != std::string::npos) ++seen[probe];
    auto top = parse_message(raw);
    if (top.mime_type() == "text/html") ++seen["html-only"];
  }
  for (std::string k : {"label:DRAFT", "label:CHAT", "label:SPAM", "label:TRASH", "label:SENT", "label:INBOX",
                        "label:UNREAD", "label:STARRED", "label:CATEGORY_UPDATES", "no-msgid", "no-msgid-chat",
                        "att:application/pdf", "att:image/png", "att:image/jpeg", "att:message/rfc822",
                        "=?UTF-8?B?", "=?UTF-8?Q?", "=?ISO-8859-1?Q?", "charset=\"ISO-8859-1\"",
                        "charset=\"windows-1252\"", "quoted-printable", "Content-Transfer-Encoding: base64",
                        "multipart/alternative", "multipart/related", "message/rfc822", "Content-ID: <",
                        "List-Id:", "In-Reply-To:", "References:", "html-only", "Message-Id:"}) {
    INFO(k);
    CHECK(seen[k] > 0);
  }
}

TEST_CASE("attachment bytes are valid PDF, PNG and JPEG", "[sim][model]") {
  auto w = demo();
  std::set<std::string> checked;
  for (auto& t : truth_of(*w)) {
    if (t["type"] != "message" || t["attachments"].empty()) continue;
    get_params g;
    auto full = w->get_message(t["mailbox"], t["id"], g);
    REQUIRE(full.ok());
    auto tree = parse_message(raw_of(*w, t["mailbox"], t["id"]));
    for (auto& a : t["attachments"]) {
      auto type = a["mimeType"].get<std::string>();
      if (checked.count(type) && type != "application/pdf") continue;
      checked.insert(type);
      auto part = find_part(tree, a["partId"].get<std::string>());
      REQUIRE(part);
      auto b = part->is_message() ? render_raw(part->parts[0]) : part->body;
      CHECK(sha256_hex(b) == a["sha256"]);
      if (type == "application/pdf") {
        REQUIRE(b.rfind("%PDF-1.4\n", 0) == 0);
        auto sx = b.rfind("startxref\n");
        REQUIRE(sx != std::string::npos);
        auto off = std::stoul(b.substr(sx + 10));
        CHECK(b.compare(off, 4, "xref") == 0);
        CHECK(b.compare(b.size() - 6, 6, "%%EOF\n") == 0);
      } else if (type == "image/png") {
        CHECK(b.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
      } else if (type == "image/jpeg") {
        CHECK(b.rfind("\xFF\xD8\xFF", 0) == 0);
        CHECK(b.compare(b.size() - 2, 2, "\xFF\xD9") == 0);
      }
    }
  }
  CHECK(checked.count("application/pdf"));
  CHECK(checked.count("image/jpeg"));
}

TEST_CASE("crm seed lists investors (firms and free-mail individuals) and contacts", "[sim][model]") {
  auto w = demo();
  auto seed = w->crm_seed();
  REQUIRE(seed["team"].size() == 5);
  CHECK(seed["team"][0]["email"] == "partner@fund.example");
  std::set<std::string> known;
  int individuals = 0, personal = 0;
  for (auto& inv : seed["investors"]) {
    if (inv["kind"] == "individual") {
      ++individuals;
      CHECK(inv["domain"].is_null());
    } else {
      CHECK(inv["domain"].get<std::string>().find(".example") != std::string::npos);
    }
    for (auto& c : inv["contacts"]) {
      known.insert(c["email"].get<std::string>());
      if (c.contains("personal_email")) {
        ++personal;
        known.insert(c["personal_email"].get<std::string>());
      }
    }
  }
  CHECK(individuals > 0);
  CHECK(personal > 0);
  CHECK(seed["contacts"].size() > 5);
  int from_investor = 0;
  for (auto& t : truth_of(*w))
    if (t["type"] == "message" && known.count(t["from"].get<std::string>())) ++from_investor;
  CHECK(from_investor > 20);
}

TEST_CASE("a 100k-message spec generates within memory and keeps ids unique", "[sim][model][.slow]") {
  auto w = demo(3, 100000, 5);
  for (auto& u : w->mailboxes()) CHECK((*w->profile(u))["messagesTotal"].get<int>() > 20000);
}

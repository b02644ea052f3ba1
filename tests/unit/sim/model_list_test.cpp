// messages.list: paging, order, label filters, SPAM/TRASH visibility and the q subset.
#include "model_support.hpp"

#include <map>
#include <set>

using namespace gc;
using namespace gc::sim;
using namespace gc::sim::test;

namespace {
std::map<std::string, json> truth_by_id(const workspace& w, const std::string& user) {
  std::map<std::string, json> out;
  for (auto& t : truth_of(w))
    if (t["type"] == "message" && t["mailbox"] == user) out[t["id"]] = t;
  return out;
}
bool has_label(const json& t, const std::string& l) {
  for (auto& x : t["labels"])
    if (x == l) return true;
  return false;
}
} // namespace

TEST_CASE("paging returns every visible id exactly once, newest first", "[sim][model]") {
  auto w = demo();
  for (auto& user : w->mailboxes()) {
    auto truth = truth_by_id(*w, user);
    list_params p;
    p.max_results = 7;
    int pages = 0;
    auto all = list_all(*w, user, p, &pages);
    std::set<std::string> ids;
    int64_t prev = INT64_MAX;
    for (auto& m : all) {
      REQUIRE(m.size() == 2);   // {id, threadId} only
      auto id = m["id"].get<std::string>();
      CHECK(id.size() == 16);
      CHECK(ids.insert(id).second);
      auto& t = truth.at(id);
      CHECK(m["threadId"] == t["threadId"]);
      CHECK_FALSE(has_label(t, "SPAM"));
      CHECK_FALSE(has_label(t, "TRASH"));
      auto date = t["internalDate"].get<int64_t>();
      CHECK(date <= prev);
      prev = date;
    }
    size_t visible = 0;
    for (auto& [id, t] : truth) visible += !t["softDeleted"].get<bool>();
    CHECK(ids.size() == visible);
    CHECK(pages == int((visible + 6) / 7));
    auto first = w->list_messages(user, list_params{});
    CHECK((*first)["resultSizeEstimate"] == visible);
    p.include_spam_trash = true;
    CHECK(list_all(*w, user, p).size() == truth.size());
  }
}

TEST_CASE("resultSizeEstimate counts each filter apart and follows every change", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes().front();
  auto estimate = [&](list_params p) {
    auto r = w->list_messages(user, p);
    REQUIRE(r.ok());
    return (*r)["resultSizeEstimate"].get<size_t>();
  };
  auto truth = truth_by_id(*w, user);
  size_t visible = 0, inbox = 0;
  for (auto& [id, t] : truth) {
    visible += !t["softDeleted"].get<bool>();
    inbox += !t["softDeleted"].get<bool>() && has_label(t, "INBOX");
  }
  REQUIRE(inbox > 0);
  REQUIRE(inbox < visible);
  list_params all, with_st, in_inbox, later_page;
  with_st.include_spam_trash = true;
  in_inbox.label_ids = {"INBOX"};
  later_page.max_results = 3;
  later_page.page_token = (*w->list_messages(user, later_page))["nextPageToken"];
  for (int round = 0; round < 2; ++round) {   // the second round answers from the kept counts
    CHECK(estimate(all) == visible);
    CHECK(estimate(with_st) == truth.size());
    CHECK(estimate(in_inbox) == inbox);
    CHECK(estimate(later_page) == visible);
  }

  // A change in the mailbox counts again: a visible INBOX message is trashed, then one deleted.
  std::string moved;
  for (auto& [id, t] : truth)
    if (!t["softDeleted"].get<bool>() && has_label(t, "INBOX")) moved = id;
  REQUIRE(w->modify_labels(user, moved, {"TRASH"}, {}).ok());
  CHECK(estimate(all) == visible - 1);
  CHECK(estimate(with_st) == truth.size());
  CHECK(estimate(in_inbox) == inbox - 1);   // trashed mail is hidden without includeSpamTrash
  REQUIRE(w->delete_message(user, moved).ok());
  CHECK(estimate(with_st) == truth.size() - 1);
}

TEST_CASE("maxResults defaults to 100 and is capped at 500", "[sim][model]") {
  auto w = demo(5, 1500, 2);
  auto user = w->mailboxes()[0];
  auto r = w->list_messages(user, list_params{});
  CHECK((*r)["messages"].size() == 100);
  list_params p;
  p.max_results = 5000;
  r = w->list_messages(user, p);
  REQUIRE((*r)["resultSizeEstimate"].get<int>() > 500);
  CHECK((*r)["messages"].size() == 500);
  p.page_token = "not-a-token";
  CHECK(w->list_messages(user, p).error().code == "invalid_argument");
}

TEST_CASE("labelIds are ANDed, SPAM/TRASH shown when asked for", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[1];
  auto truth = truth_by_id(*w, user);
  list_params p;
  p.label_ids = {"INBOX", "UNREAD"};
  auto both = list_all(*w, user, p);
  CHECK_FALSE(both.empty());
  size_t expected = 0;
  for (auto& [id, t] : truth) expected += has_label(t, "INBOX") && has_label(t, "UNREAD");
  CHECK(both.size() == expected);
  for (auto& m : both) CHECK(has_label(truth.at(m["id"]), "UNREAD"));
  for (std::string l : {"SPAM", "TRASH"}) {
    list_params s;
    s.label_ids = {l};
    size_t n = 0;
    for (auto& [id, t] : truth) n += has_label(t, l);
    CHECK(list_all(*w, user, s).size() == n);
  }
  p.label_ids = {"NOPE"};
  CHECK(w->list_messages(user, p).error().code == "invalid_argument");
}

TEST_CASE("q: dates, rfc822msgid, chats, drafts, spam", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  auto truth = truth_by_id(*w, user);
  list_params all_p;
  all_p.include_spam_trash = true;
  auto total = list_all(*w, user, all_p).size();
  int64_t cut = 0;
  for (auto& [id, t] : truth) cut = std::max(cut, t["internalDate"].get<int64_t>());
  cut = cut / 1000 - 90 * 86400;   // 90 days before the newest mail
  list_params a = all_p, b = all_p;
  a.q = "after:" + std::to_string(cut);
  b.q = "before:" + std::to_string(cut);
  auto after = list_all(*w, user, a), before = list_all(*w, user, b);
  CHECK_FALSE(after.empty());
  CHECK_FALSE(before.empty());
  CHECK(after.size() + before.size() == total);
  for (auto& m : after) CHECK(truth.at(m["id"])["internalDate"].get<int64_t>() >= cut * 1000);
  a.q = "after:2024/06/01 before:2024-07-01";
  for (auto& m : list_all(*w, user, a)) {
    auto d = truth.at(m["id"])["internalDate"].get<int64_t>();
    CHECK(d >= 1717200000000);
    CHECK(d < 1719792000000);
  }
  list_params c;
  c.q = "-in:chats -is:draft";
  for (auto& m : list_all(*w, user, c)) {
    CHECK_FALSE(has_label(truth.at(m["id"]), "CHAT"));
    CHECK_FALSE(has_label(truth.at(m["id"]), "DRAFT"));
  }
  list_params plain;
  size_t chats_drafts = 0;
  for (auto& m : list_all(*w, user, plain))
    chats_drafts += has_label(truth.at(m["id"]), "CHAT") || has_label(truth.at(m["id"]), "DRAFT");
  CHECK(chats_drafts > 0);   // drafts and chats are listed unless excluded
  CHECK(list_all(*w, user, plain).size() == list_all(*w, user, c).size() + chats_drafts);
  list_params s;
  s.q = "in:spam";
  auto spam = list_all(*w, user, s);
  for (auto& m : spam) CHECK(has_label(truth.at(m["id"]), "SPAM"));
  list_params none;
  none.q = "rfc822msgid:<missing@nowhere.example>";
  auto r = w->list_messages(user, none);
  CHECK_FALSE(r->contains("messages"));
  CHECK((*r)["resultSizeEstimate"] == 0);
  none.q = "from:someone@example.com";
  CHECK(w->list_messages(user, none).error().code == "invalid_argument");
  none.q = "rfc822msgid:x OR y";
  CHECK(w->list_messages(user, none).error().code == "invalid_argument");
}

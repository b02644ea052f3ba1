// history.list: gappy increasing ids, paging, filters, retention horizon, and live mail.
#include "model_support.hpp"

#include <map>
#include <set>

using namespace gc;
using namespace gc::sim;
using namespace gc::sim::test;

namespace {

std::vector<json> history_all(const workspace& w, const std::string& user, history_params p) {
  std::vector<json> out;
  for (int guard = 0; guard < 10000; ++guard) {
    auto r = w.list_history(user, p);
    REQUIRE(r.ok());
    if (r->contains("history"))
      for (auto& h : (*r)["history"]) out.push_back(h);
    if (!r->contains("nextPageToken")) return out;
    p.page_token = (*r)["nextPageToken"].get<std::string>();
  }
  FAIL("history paging did not end");
  return out;
}

history_params from(uint64_t h, int max = 100) {
  history_params p;
  p.start_history_id = std::to_string(h);
  p.max_results = max;
  return p;
}

// id -> labels of every message in the mailbox (SPAM/TRASH included)
std::map<std::string, std::set<std::string>> snapshot(const workspace& w, const std::string& user) {
  std::map<std::string, std::set<std::string>> out;
  list_params p;
  p.include_spam_trash = true;
  for (auto& m : list_all(w, user, p)) {
    auto j = minimal(w, user, m["id"]);
    auto& s = out[m["id"]];
    if (j.contains("labelIds"))
      for (auto& l : j["labelIds"]) s.insert(l.get<std::string>());
  }
  return out;
}

} // namespace

TEST_CASE("history ids increase with gaps, replaying history reproduces the mailbox", "[sim][model]") {
  auto w = demo();
  std::mt19937_64 rng(99);
  std::map<std::string, std::map<std::string, std::set<std::string>>> before;
  std::map<std::string, uint64_t> start;
  for (auto& u : w->mailboxes()) {
    before[u] = snapshot(*w, u);
    start[u] = w->current_history_id(u);
  }
  live_stats total;
  for (int i = 0; i < 40; ++i) {
    auto s = w->tick_live(rng);
    total.added += s.added;
    total.deleted += s.deleted;
    total.relabelled += s.relabelled;
  }
  CHECK(total.added >= 40);
  CHECK(total.deleted > 0);
  CHECK(total.relabelled > 0);
  int gaps = 0, records = 0;
  for (auto& u : w->mailboxes()) {
    auto hist = history_all(*w, u, from(start[u], 3));
    auto state = before[u];
    uint64_t prev = start[u];
    for (auto& h : hist) {
      auto id = std::stoull(h["id"].get<std::string>());
      CHECK(id > prev);
      gaps += id > prev + 1;
      prev = id;
      ++records;
      REQUIRE(h["messages"].size() == 1);
      int typed = h.contains("messagesAdded") + h.contains("messagesDeleted") + h.contains("labelsAdded") +
                  h.contains("labelsRemoved");
      REQUIRE(typed == 1);
      if (h.contains("messagesAdded")) {
        auto& m = h["messagesAdded"][0]["message"];
        REQUIRE(m.contains("labelIds"));
        auto& s = state[m["id"]];
        for (auto& l : m["labelIds"]) s.insert(l.get<std::string>());
      } else if (h.contains("messagesDeleted")) {
        CHECK(state.erase(h["messagesDeleted"][0]["message"]["id"]) == 1);
      } else {
        bool add = h.contains("labelsAdded");
        auto& e = h[add ? "labelsAdded" : "labelsRemoved"][0];
        auto& s = state.at(e["message"]["id"]);
        for (auto& l : e["labelIds"]) add ? (void)s.insert(l.get<std::string>()) : (void)s.erase(l.get<std::string>());
      }
    }
    CHECK(state == snapshot(*w, u));
    auto last = w->list_history(u, from(start[u]));
    CHECK((*last)["historyId"] == std::to_string(w->current_history_id(u)));
    CHECK((*w->profile(u))["historyId"] == std::to_string(w->current_history_id(u)));
  }
  CHECK(records > 60);
  CHECK(gaps > records / 2);
}

TEST_CASE("deleted messages 404 and their attachments too, message historyId follows changes", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  list_params p;
  auto ids = list_all(*w, user, p);
  auto id = ids[0]["id"].get<std::string>();
  auto h0 = w->current_history_id(user);
  REQUIRE(w->modify_labels(user, id, {"STARRED"}, {}).ok());
  auto m = minimal(*w, user, id);
  CHECK(std::stoull(m["historyId"].get<std::string>()) == w->current_history_id(user));
  CHECK(w->current_history_id(user) > h0);
  REQUIRE(w->delete_message(user, id).ok());
  get_params g;
  CHECK(w->get_message(user, id, g).error().code == "not_found");
  CHECK(w->delete_message(user, id).error().code == "not_found");
  auto hist = history_all(*w, user, from(h0));
  REQUIRE(hist.size() == 2);
  CHECK(hist[0]["labelsAdded"][0]["labelIds"] == json::array({"STARRED"}));
  CHECK(hist[1]["messagesDeleted"][0]["message"]["id"] == id);
}

TEST_CASE("historyTypes and labelId filter records", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[2];
  auto h0 = w->current_history_id(user);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 60; ++i) w->tick_live(rng);
  auto p = from(h0);
  p.history_types = {"messageAdded"};
  auto added = history_all(*w, user, p);
  CHECK_FALSE(added.empty());
  for (auto& h : added) CHECK(h.contains("messagesAdded"));
  p.history_types = {"labelAdded", "labelRemoved"};
  for (auto& h : history_all(*w, user, p)) CHECK((h.contains("labelsAdded") || h.contains("labelsRemoved")));
  p = from(h0);
  p.label_id = "TRASH";
  for (auto& h : history_all(*w, user, p))
    if (!h.contains("messagesDeleted")) CHECK(h.dump().find("TRASH") != std::string::npos);
  p.history_types = {"bogus"};
  CHECK(w->list_history(user, p).error().code == "invalid_argument");
}

TEST_CASE("start ids below the horizon 404, missing ids are invalid", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  auto now = w->current_history_id(user);
  auto r = w->list_history(user, from(now));
  REQUIRE(r.ok());
  CHECK_FALSE(r->contains("history"));
  CHECK_FALSE(r->contains("nextPageToken"));
  CHECK(w->list_history(user, from(1)).error().code == "not_found");
  history_params none;
  CHECK(w->list_history(user, none).error().code == "invalid_argument");
  CHECK(w->list_history(user, from(0)).error().code == "invalid_argument");
  w->set_history_horizon(user, now - 5);
  CHECK(w->list_history(user, from(now - 5)).ok());
  CHECK(w->list_history(user, from(now - 6)).error().code == "not_found");
  w->expire_history(user);
  CHECK(w->list_history(user, from(now - 1)).error().code == "not_found");
  CHECK(w->list_history(user, from(now)).ok());  // a client restarting from getProfile's id
}

TEST_CASE("empty-page mode: a first page without records but with a token", "[sim][model]") {
  auto w = demo();
  auto user = w->mailboxes()[0];
  auto h0 = w->current_history_id(user);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 5; ++i) w->tick_live(rng);
  w->set_empty_history_pages(true);
  auto first = w->list_history(user, from(h0));
  REQUIRE(first.ok());
  CHECK_FALSE(first->contains("history"));
  REQUIRE(first->contains("nextPageToken"));
  auto p = from(h0);
  p.page_token = (*first)["nextPageToken"];
  auto second = w->list_history(user, p);
  CHECK((*second)["history"].size() > 0);
}

TEST_CASE("the change listener reports each touched mailbox with its new historyId", "[sim][model]") {
  auto w = demo();
  std::map<std::string, uint64_t> seen;
  w->set_change_listener([&](const std::string& u, uint64_t h) { seen[u] = h; });
  std::mt19937_64 rng(3);
  w->tick_live(rng);
  REQUIRE_FALSE(seen.empty());
  for (auto& [u, h] : seen) CHECK(h == w->current_history_id(u));
}

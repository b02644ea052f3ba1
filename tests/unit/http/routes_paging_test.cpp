// Cursor pagination of /api/email/threads and /api/email/activity stays stable while new
// mail is ingested concurrently: a thread stores new threads, replies that would move old
// threads to the top, and mail with the same timestamps as existing mail, through the store
// writer, while the test pages with small limits. Every item that existed when paging began
// appears exactly once; nothing appears twice.
#include "api_fixture.hpp"
#include "store/db.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <thread>

using namespace gc;
using gc::test::api_fixture;

namespace {

constexpr int threads_before = 24;

// threads_before Acme threads, two messages each; several share timestamps.
std::map<int64_t, int> seed_threads(api_fixture& f, std::set<int64_t>& emails) {
  std::map<int64_t, int> threads;  // thread id -> times seen
  for (int i = 0; i < threads_before; ++i) {
    auto key = "p" + std::to_string(i) + "@acme.com";
    int64_t t = 100000 + (i / 3) * 1000;  // groups of three share a time
    auto a = f.store(test::inbound(key, "Topic " + std::to_string(i), t), test::seen(f.alice, "p" + std::to_string(i), "pt" + std::to_string(i)));
    auto b = f.store(test::reply_to(test::outbound("r" + key, "Re: Topic " + std::to_string(i), t + 500), key),
                     test::seen(f.alice, "r" + std::to_string(i), "pt" + std::to_string(i), {"SENT"}));
    REQUIRE(a.thread_id == b.thread_id);
    threads[a.thread_id] = 0;
    emails.insert(a.email_id);
    emails.insert(b.email_id);
  }
  return threads;
}

// Stores mail until stopped: new threads newer than everything, replies to the old threads
// (newest of all), and copies of the timestamps already in use.
class ingester {
public:
  explicit ingester(api_fixture& f) : f_{f}, th_{[this] { run(); }} {}
  ~ingester() { stop(); }
  void stop() {
    stop_ = true;
    if (th_.joinable()) th_.join();
  }
  int stored() const { return n_; }
  void one() {
    int i = n_++;
    auto k = "n" + std::to_string(i) + "@acme.com";
    switch (i % 3) {
      case 0:  // a brand-new thread, newest of all
        f_.store(test::inbound(k, "New " + std::to_string(i), 900000 + i), test::seen(f_.bob, "n" + std::to_string(i), "nt" + std::to_string(i)));
        break;
      case 1: {  // a reply into an old thread: with naive paging it would jump to the top
        auto parent = "p" + std::to_string(i % threads_before) + "@acme.com";
        f_.store(test::reply_to(test::inbound(k, "Re again", 800000 + i), parent),
                 test::seen(f_.alice, "n" + std::to_string(i), "pt" + std::to_string(i % threads_before)));
        break;
      }
      default:  // same timestamp as existing mail, higher id
        f_.store(test::inbound(k, "Same time", 100000 + (i % 8) * 1000), test::seen(f_.bob, "n" + std::to_string(i), "st" + std::to_string(i)));
    }
  }

private:
  void run() {
    while (!stop_) {
      one();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  api_fixture& f_;
  std::atomic<bool> stop_{false};
  std::atomic<int> n_{0};
  std::thread th_;
};

} // namespace

TEST_CASE("paging: threads and activity are stable under concurrent ingest", "[http][api][paging]") {
  api_fixture f;
  std::set<int64_t> old_emails;
  auto old_threads = seed_threads(f, old_emails);

  SECTION("threads") {
    std::optional<ingester> ing;  // starts once the first page (the snapshot) is answered
    std::set<int64_t> seen_all;
    std::string target = "/api/email/threads?investor_id=10&limit=5";
    int pages = 0;
    while (true) {
      auto page = f.get_json(target, f.member_token);
      for (const auto& t : page["threads"]) {
        auto id = t["id"].get<int64_t>();
        CHECK(seen_all.insert(id).second);  // never twice
        if (old_threads.count(id)) ++old_threads[id];
        CHECK(t["message_count"] == 2);     // the snapshot: replies stored since are not counted
      }
      ++pages;
      if (!ing) ing.emplace(f);
      for (int i = 0; i < 2; ++i) ing->one();  // interleave for sure, besides the background thread
      if (page["next_cursor"].is_null()) break;
      target = "/api/email/threads?investor_id=10&limit=5&cursor=" + page["next_cursor"].get<std::string>();
    }
    ing->stop();
    CHECK(pages == 5);
    CHECK(ing->stored() > 0);
    for (const auto& [id, n] : old_threads) CHECK(n == 1);
    // The writer rebuilt the thread summaries before every commit, so these pages were read
    // from them (store/thread_summaries.hpp), with only the threads that changed aggregated.
    store::connection c{f.cfg().db_path, store::open_mode::read_only};
    auto dirty = c.prepare("SELECT count(*) FROM email_threads_dirty");
    REQUIRE(dirty.step());
    CHECK(dirty.int64(0) == 0);
    auto rows = c.prepare("SELECT count(*) FROM email_investor_threads WHERE investor_id = 10");
    REQUIRE(rows.step());
    CHECK(rows.int64(0) > threads_before);
    // A fresh listing sees the new mail.
    auto fresh = f.get_json("/api/email/threads?investor_id=10&limit=200");
    CHECK(fresh["threads"].size() > old_threads.size());
  }

  SECTION("activity") {
    std::optional<ingester> ing;
    std::map<int64_t, int> count;
    std::string target = "/api/email/activity?limit=7";
    while (true) {
      auto page = f.get_json(target);
      for (const auto& it : page["items"]) ++count[it["id"].get<int64_t>()];
      if (!ing) ing.emplace(f);
      for (int i = 0; i < 2; ++i) ing->one();
      if (page["next_cursor"].is_null()) break;
      target = "/api/email/activity?limit=7&cursor=" + page["next_cursor"].get<std::string>();
    }
    ing->stop();
    CHECK(ing->stored() > 0);
    for (auto id : old_emails) CHECK(count[id] == 1);
    for (const auto& [id, n] : count) {
      CHECK(n == 1);
      CHECK(old_emails.count(id) == 1);  // mail stored after paging began is not mixed in
    }
  }
}

TEST_CASE("paging: limit bounds the page and the cursor walks to the end", "[http][api][paging]") {
  api_fixture f;
  for (int i = 0; i < 5; ++i)
    f.store(test::inbound("k" + std::to_string(i) + "@acme.com", "S", 1000 * (i + 1)), test::seen(f.alice, "k" + std::to_string(i), "kt" + std::to_string(i)));
  auto p1 = f.get_json("/api/email/activity?limit=2");
  CHECK(p1["items"].size() == 2);
  auto p2 = f.get_json("/api/email/activity?limit=2&cursor=" + p1["next_cursor"].get<std::string>());
  auto p3 = f.get_json("/api/email/activity?limit=2&cursor=" + p2["next_cursor"].get<std::string>());
  CHECK(p3["items"].size() == 1);
  CHECK(p3["next_cursor"].is_null());
  CHECK(p1["items"][0]["date"] == "1970-01-01T00:00:05.000Z");
  CHECK(p3["items"][0]["date"] == "1970-01-01T00:00:01.000Z");
  auto exact = f.get_json("/api/email/activity?limit=5");
  CHECK(exact["items"].size() == 5);
  CHECK(exact["next_cursor"].is_null());
}

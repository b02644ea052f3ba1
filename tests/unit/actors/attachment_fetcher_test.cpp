// attachment_fetcher end to end against the real simulator in-process: files on disk carry
// the sha256 the simulator's truth reports, unmatched mail is never downloaded, identical
// bytes are stored once, stale or missing attachment ids are re-read from the message,
// oversized stubs are refused before (and after) downloading, a deleted message is recorded
// as failed and waits for its backoff, and the actor runs on fetch_now and on its timer.
#include "attachment_test_env.hpp"
#include "actors/messages.hpp"
#include "core/crypto.hpp"
#include "store/db.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using gc::test::attachment_world;
using ids = attachment_world::ids;

namespace {

const std::string att_get = "users.messages.attachments.get";
const std::string msg_get = "users.messages.get";

struct row {
  std::string status, sha256, storage_path, gmail_attachment_id, error;
  int64_t size = 0, attempts = 0;
};

std::map<std::string, row> rows_of(const std::string& db, int64_t email_id) {
  gc::store::connection c{db, gc::store::open_mode::read_only};
  auto st = c.prepare("SELECT part_id, status, coalesce(sha256, ''), coalesce(storage_path, ''), "
                      "coalesce(gmail_attachment_id, ''), coalesce(error, ''), coalesce(size, 0), attempts "
                      "FROM email_attachments WHERE email_id = ?1");
  st.bind(1, email_id);
  std::map<std::string, row> out;
  while (st.step())
    out[st.text(0)] = {st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.int64(6), st.int64(7)};
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t files_on_disk(const std::string& data_dir) {
  size_t n = 0;
  if (fs::exists(data_dir))
    for (auto& e : fs::recursive_directory_iterator{data_dir}) n += e.is_regular_file();
  return n;
}

// Every attachment of truth message `t` is stored with the truth's hash, and its file holds
// exactly those bytes.
void check_stored(attachment_world& w, const gc::json& t, int64_t email_id) {
  auto rows = rows_of(w.db_path, email_id);
  REQUIRE(rows.size() == t["attachments"].size());
  for (const auto& a : t["attachments"]) {
    INFO("message " << t["id"] << " part " << a["partId"]);
    const auto& r = rows.at(a["partId"].get<std::string>());
    CHECK(r.status == "stored");
    CHECK(r.sha256 == a["sha256"].get<std::string>());
    CHECK(r.size == a["size"].get<int64_t>());
    CHECK(r.storage_path == "email_attachments/" + r.sha256.substr(0, 2) + "/" + r.sha256);
    CHECK(gc::core::sha256_hex(slurp(w.data_dir + "/" + r.storage_path)) == a["sha256"].get<std::string>());
  }
}

size_t attachment_count(const std::vector<gc::json>& ts) {
  size_t n = 0;
  for (const auto& t : ts) n += t["attachments"].size();
  return n;
}

} // namespace

TEST_CASE("matched emails' attachments are stored with the truth's sha256, unmatched are not fetched",
          "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  REQUIRE(msgs.size() >= 4);
  std::vector<gc::json> matched{msgs[0], msgs[1], msgs[2]};
  std::vector<int64_t> ids_matched;
  for (const auto& t : matched) ids_matched.push_back(w.store(t, true));
  auto unmatched = w.store(msgs[3], false);

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(counts.stored == static_cast<int64_t>(attachment_count(matched)));
  CHECK(counts.failed == 0);
  CHECK(counts.too_large == 0);
  CHECK(counts.refreshed == 0);
  for (size_t i = 0; i < matched.size(); ++i) check_stored(w, matched[i], ids_matched[i]);
  for (const auto& [part, r] : rows_of(w.db_path, unmatched)) CHECK(r.status == "pending");
  CHECK(w.sim_calls(att_get) == static_cast<int64_t>(attachment_count(matched)));
  CHECK(w.sim_calls(msg_get) == 0);

  // Nothing is due any more: a second run does nothing at all.
  auto again = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(again.stored == 0);
  CHECK(again.failed == 0);
  CHECK(w.sim_calls(att_get) == static_cast<int64_t>(attachment_count(matched)));
}

// Small stubs with a known id are asked for ten at a time, one batch request per worker's
// share: every attachment once, no single attachments.get.
TEST_CASE("small attachments are asked for in batches of ten", "[actors][attachments][sim][e2e]") {
  attachment_world w{"mailboxes=1,messages=200,seed=7"};
  auto mine = w.with_attachments();
  std::vector<int64_t> emails;
  for (const auto& t : mine) emails.push_back(w.store(t, true));
  auto n = static_cast<int64_t>(attachment_count(mine));
  REQUIRE(n > 10);

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env(int64_t{50} << 20, 1));
  CHECK(counts.stored == n);
  CHECK(counts.failed == 0);
  for (size_t i = 0; i < mine.size(); ++i) check_stored(w, mine[i], emails[i]);
  auto batch = w.sim().stats()["batch"];
  CHECK(batch["batches"].get<int64_t>() == (n + 9) / 10);
  CHECK(batch["inner_calls"].get<int64_t>() == n);
  CHECK(w.sim_calls(att_get) == n);  // the inner calls, and nothing more
}

TEST_CASE("identical bytes in two emails are one file, both rows point at it", "[actors][attachments][sim][e2e]") {
  attachment_world w;
  // Two different mails carrying an attachment with the same bytes (the generator reuses
  // its chart and photo assets).
  std::map<std::string, gc::json> by_sha;
  std::optional<std::pair<gc::json, gc::json>> pair;
  for (const auto& t : w.with_attachments()) {
    for (const auto& a : t["attachments"]) {
      auto sha = a["sha256"].get<std::string>();
      auto it = by_sha.find(sha);
      if (it != by_sha.end() && it->second["mailKey"] != t["mailKey"] && !pair) pair.emplace(it->second, t);
      by_sha.emplace(sha, t);
    }
  }
  REQUIRE(pair);
  auto e1 = w.store(pair->first, true);
  auto e2 = w.store(pair->second, true);

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env(int64_t{50} << 20, 1));
  auto total = attachment_count({pair->first, pair->second});
  CHECK(counts.stored == static_cast<int64_t>(total));
  CHECK(counts.deduped >= 1);
  check_stored(w, pair->first, e1);
  check_stored(w, pair->second, e2);
  std::set<std::string> distinct;
  for (auto id : {e1, e2})
    for (const auto& [part, r] : rows_of(w.db_path, id)) distinct.insert(r.sha256);
  CHECK(files_on_disk(w.data_dir) == distinct.size());
  CHECK(static_cast<int64_t>(distinct.size()) == static_cast<int64_t>(total) - counts.deduped);
}

TEST_CASE("stale and missing attachment ids are re-read from the message", "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  REQUIRE(msgs.size() >= 2);
  auto stale = w.store(msgs[0], true, ids::stale);
  auto missing = w.store(msgs[1], true, ids::none);
  auto n = static_cast<int64_t>(attachment_count({msgs[0], msgs[1]}));

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(counts.stored == n);
  CHECK(counts.refreshed == n);
  CHECK(counts.failed == 0);
  check_stored(w, msgs[0], stale);
  check_stored(w, msgs[1], missing);
  for (auto id : {stale, missing})
    for (const auto& [part, r] : rows_of(w.db_path, id)) {
      CHECK(r.gmail_attachment_id.rfind("ANGjdJ", 0) == 0);   // a current id was recorded
      CHECK(r.gmail_attachment_id != "ANGjdJstale0000");
    }
  CHECK(w.sim_calls(msg_get) == n);                          // one re-read per stub
  // Stale ids cost a failed attachments.get first (404), missing ids do not.
  CHECK(w.sim_calls(att_get) == n + static_cast<int64_t>(msgs[0]["attachments"].size()));
}

TEST_CASE("attachments over the size cap are refused before and after downloading", "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  // The biggest attachment sets the cap just below itself.
  const gc::json* big = nullptr;
  int64_t big_size = 0;
  for (const auto& t : msgs)
    if (t["attachments"].size() == 1 && t["attachments"][0]["size"].get<int64_t>() > big_size) {
      big = &t;
      big_size = t["attachments"][0]["size"].get<int64_t>();
    }
  REQUIRE(big);
  REQUIRE(big_size > 1);
  auto email = w.store(*big, true);

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env(big_size - 1));
  CHECK(counts.too_large == 1);
  CHECK(counts.stored == 0);
  CHECK(w.sim_calls(att_get) == 0);                          // never downloaded
  CHECK(rows_of(w.db_path, email).begin()->second.status == "too_large");
  CHECK(files_on_disk(w.data_dir) == 0);

  // A stub that understates its size is caught once downloaded: no file, real size recorded.
  gc::store::connection c{w.db_path};
  c.exec("UPDATE email_attachments SET status = 'pending', size = 1 WHERE email_id = " + std::to_string(email));
  counts = gc::actors::fetch_pending_once(w.rt().system(), w.env(big_size - 1));
  CHECK(counts.too_large == 1);
  CHECK(w.sim_calls(att_get) == 1);
  auto r = rows_of(w.db_path, email).begin()->second;
  CHECK(r.status == "too_large");
  CHECK(r.size == big_size);
  CHECK(files_on_disk(w.data_dir) == 0);
}

TEST_CASE("a deleted message is recorded as failed with its reason and waits for its backoff",
          "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  REQUIRE(!msgs.empty());
  const auto& t = msgs[0];
  auto email = w.store(t, true);
  REQUIRE(w.sim().ws().delete_message(t["mailbox"].get<std::string>(), t["id"].get<std::string>()).ok());

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(counts.failed == static_cast<int64_t>(t["attachments"].size()));
  CHECK(counts.stored == 0);
  for (const auto& [part, r] : rows_of(w.db_path, email)) {
    CHECK(r.status == "failed");
    CHECK(r.attempts == 1);
    CHECK(r.error.find("no longer in mailbox") != std::string::npos);
  }
  // Not due again before 2^1 minutes: the next run leaves it alone.
  auto calls = w.sim_calls(att_get) + w.sim_calls(msg_get);
  auto again = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(again.failed == 0);
  CHECK(w.sim_calls(att_get) + w.sim_calls(msg_get) == calls);
}

TEST_CASE("the fetcher actor runs on fetch_now and on its timer", "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  REQUIRE(msgs.size() >= 2);
  auto env = w.env();
  env.opts.interval = std::chrono::milliseconds(200);
  auto stats = env.stats;
  auto first = w.store(msgs[0], true);
  auto fetcher = w.add_child(gc::actors::attachment_fetcher_name, [env](caf::local_actor* p) {
    return gc::actors::spawn_attachment_fetcher(p, env);
  });

  // A requested pass replies once a pass that started after the request is over.
  caf::scoped_actor self{w.rt().system()};
  bool ok = false;
  self->request(fetcher, std::chrono::seconds(60), gc::actors::fetch_now_atom_v)
      .receive([&](caf::ok_atom) { ok = true; }, [&](caf::error& e) { FAIL(w.rt().system().render(e)); });
  CHECK(ok);
  check_stored(w, msgs[0], first);

  // New stubs are picked up by the timer without being asked (bounded wait, no timing claim).
  auto second = w.store(msgs[1], true);
  auto want = static_cast<int64_t>(attachment_count({msgs[0], msgs[1]}));
  for (int i = 0; i < 600 && stats->stored.load() < want; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(stats->stored.load() == want);
  check_stored(w, msgs[1], second);
}

TEST_CASE("a persistent server error is recorded, then the row is retried once due", "[actors][attachments][sim][e2e]") {
  attachment_world w;
  auto msgs = w.with_attachments();
  REQUIRE(!msgs.empty());
  const auto& t = msgs[0];
  auto email = w.store(t, true);
  auto n = static_cast<int64_t>(t["attachments"].size());
  gc::sim::fault_options f;
  f.fail_503 = 1.0;
  w.sim().faults().set_options(f);

  auto counts = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(counts.failed == n);
  CHECK(w.sim_calls(att_get) == 3 * n);                      // the gate's retries (retry_max 2)
  for (const auto& [part, r] : rows_of(w.db_path, email)) {
    CHECK(r.status == "failed");
    CHECK(r.attempts == 1);
    CHECK(r.error.rfind("attachments.get: ", 0) == 0);
  }

  // The backoff has passed (pinned, not waited for) and Google is back: stored.
  w.sim().faults().set_options(gc::sim::fault_options{});
  gc::store::connection c{w.db_path};
  c.exec("UPDATE email_attachments SET updated_at = '2000-01-01T00:00:00.000Z' WHERE email_id = " +
         std::to_string(email));
  counts = gc::actors::fetch_pending_once(w.rt().system(), w.env());
  CHECK(counts.stored == n);
  check_stored(w, t, email);
}

#pragma once
// The attachment fetcher's test world: the real simulator in-process (127.0.0.1, port 0) with
// its ground truth, a migrated database whose mailboxes are the simulator's, a runtime with
// the store writer and a rate limiter (supervisor children), and a DWD Gmail client on the
// simulator. Emails are stored through email_repo exactly as the capture pipeline does.
#include "actors/attachment_fetcher.hpp"
#include "actors/rate_limiter.hpp"
#include "gmail/dwd_auth.hpp"
#include "sim/sim_server.hpp"
#include "support/test_support.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <thread>

namespace gc::test {

class attachment_world {
public:
  explicit attachment_world(const std::string& workspace = "mailboxes=2,messages=60,seed=7");
  ~attachment_world();

  sim::sim_server& sim() { return *sim_; }
  actors::runtime& rt() { return *rt_; }

  // Spawns a supervisor child and returns its handle.
  caf::actor add_child(const std::string& name, actors::child_factory f);
  // An environment on this world: data under data_dir, fast gate retries (2, 10-50 ms).
  actors::attachment_env env(int64_t max_bytes = int64_t{50} << 20, int concurrency = 3);

  // Capturable, not soft-deleted truth messages with attachments, one copy per mail.
  std::vector<json> with_attachments() const;
  // The part's attachmentId in a fresh messages.get (format=full) of the simulator.
  std::string current_attachment_id(const json& t, const std::string& part_id);

  enum class ids { current, none, stale };
  // Stores the truth message as an email (dedup key "key:" + mailKey + key_suffix) seen by its
  // mailbox, matched to investor 10 or not, with a stub per truth attachment carrying the
  // current attachment id, none (an inline part), or a stale one. Returns the email id.
  int64_t store(const json& t, bool matched, ids how = ids::current, const std::string& key_suffix = "");

  // Calls of a Gmail method the simulator received ("users.messages.attachments.get").
  int64_t sim_calls(const std::string& method);

  temp_dir dir;
  std::string db_path = dir.file("crm.db");
  std::string data_dir = dir.file("data");
  std::vector<json> truth;
  std::map<std::string, int64_t> account_ids;
  actors::rate_limiter_actor limiter;

private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{ioc_.get_executor()};
  std::unique_ptr<sim::sim_server> sim_;
  std::thread io_;
  net::http_client http_;
  std::shared_ptr<gmail::dwd_auth> auth_;
  std::unique_ptr<gmail::client> gmail_;
  std::unique_ptr<actors::runtime> rt_;
};

} // namespace gc::test

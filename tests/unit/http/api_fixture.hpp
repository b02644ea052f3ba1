#pragma once
// The REST API for route tests, all real: a migrated SQLite file in a temp dir, users and
// bearer tokens (users_repo), CRM investors and contacts, mail stored through
// store::email_repo on the runtime's store writer, make_api_router served by http::server on
// 127.0.0.1 port 0, and the test HTTP client.
#include "actors/runtime.hpp"
#include "core/config.hpp"
#include "core/json.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "store/email_records.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <thread>

namespace gc::test {

class api_fixture {
public:
  // Mailboxes alice@fund.vc and bob@fund.vc; investors Acme Capital (acme.com), Old Ventures
  // (graveyard, oldvc.com) and Beta Partners (no mail); an admin and a member with tokens.
  explicit api_fixture(bool gmail_enabled = true);
  ~api_fixture();
  api_fixture(const api_fixture&) = delete;
  api_fixture& operator=(const api_fixture&) = delete;

  static constexpr int64_t acme = 10, oldvc = 11, beta = 12;
  static constexpr int64_t acme_contact = 20, oldvc_contact = 21;
  const std::string admin_token = "admin-token-0123456789";
  const std::string member_token = "member-token-0123456789";
  int64_t alice = 0, bob = 0;  // email_accounts ids

  uint16_t port() const { return port_; }
  const core::config& cfg() const { return cfg_; }
  actors::runtime& rt() { return *rt_; }
  const http::router& router() const { return *routes_; }

  // store::email_repo::store_message on the store writer; returns the outcome.
  store::store_outcome store(const store::email_rec& e, const store::sighting_rec& s);
  void mark_deleted(int64_t account, const std::string& gmail_id, const std::string& reason = "trash");
  // Puts `bytes` into the attachment store and marks the attachment row stored.
  void store_file(int64_t attachment_id, const std::string& bytes);
  // The email_attachments ids of an email, by part_id order.
  std::vector<int64_t> attachment_ids(int64_t email_id);
  // Runs SQL on the writer (test setup only).
  void exec(const std::string& sql);

  http_reply get(const std::string& target, const std::string& token);
  http_reply get(const std::string& target) { return get(target, admin_token); }
  json get_json(const std::string& target, const std::string& token, unsigned want = 200);
  json get_json(const std::string& target) { return get_json(target, admin_token); }

private:
  temp_dir dir_;
  core::config cfg_;
  std::unique_ptr<actors::runtime> rt_;
  std::unique_ptr<http::api_context> actx_;
  std::unique_ptr<http::router> routes_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{ioc_.get_executor()};
  std::unique_ptr<http::server> srv_;
  std::thread io_;
  uint16_t port_ = 0;
};

// Mail builders. Times are epoch ms; the Message-ID is "<key>" and the dedup key is `key`.
// From Lee (Acme contact) to alice and bob.
store::email_rec inbound(const std::string& key, const std::string& subject, int64_t ms,
                         bool matched = true);
// From alice to Lee.
store::email_rec outbound(const std::string& key, const std::string& subject, int64_t ms);
// A reply to `parent_key` (In-Reply-To/References), so it joins the parent's thread.
store::email_rec reply_to(store::email_rec e, const std::string& parent_key);
store::sighting_rec seen(int64_t account, const std::string& gmail_id, const std::string& gmail_thread,
                         std::vector<std::string> labels = {"INBOX"});

} // namespace gc::test

#include "api_fixture.hpp"

#include "actors/attachment_store.hpp"
#include "core/crypto.hpp"
#include "store/attachments_repo.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/email_repo.hpp"
#include "store/migrations.hpp"
#include "store/users_repo.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>

namespace gc::test {
namespace {

namespace net = boost::asio;

core::config make_config(const temp_dir& dir, bool enabled) {
  core::config c;
  c.db_path = dir.file("crm.db");
  c.data_dir = dir.file("data");
  c.gmail_enabled = enabled;
  return c;
}

void seed_crm(const std::string& db_path, const std::string& admin_tok, const std::string& member_tok,
              int64_t& alice, int64_t& bob) {
  store::connection c{db_path};
  REQUIRE(store::migrate(c).ok());
  store::users_repo users{c};
  auto admin = users.create_user({"alice", "alice@fund.vc", "Alice", "admin", ""});
  auto member = users.create_user({"bob", "bob@fund.vc", "Bob", "member", ""});
  REQUIRE(admin.ok());
  REQUIRE(member.ok());
  REQUIRE(users.insert_token({core::sha256_hex(admin_tok), *admin, "test", std::nullopt}).ok());
  REQUIRE(users.insert_token({core::sha256_hex(member_tok), *member, "test", std::nullopt}).ok());
  c.exec("INSERT INTO investors (id, name, email, domain, graveyard) VALUES "
         "(10, 'Acme Capital', 'lp@acme.com', 'acme.com', 0), "
         "(11, 'Old Ventures', 'gp@oldvc.com', 'oldvc.com', 1), "
         "(12, 'Beta Partners', 'hi@beta.example', 'beta.example', 0);"
         "INSERT INTO contacts (id, investor_id, name, email) VALUES "
         "(20, 10, 'Lee Partner', 'lee@acme.com'), (21, 11, 'Olga Old', 'olga@oldvc.com');");
  store::email_accounts_repo accounts{c};
  auto a = accounts.enroll_account("alice@fund.vc");
  auto b = accounts.enroll_account("bob@fund.vc");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  alice = *a;
  bob = *b;
}

} // namespace

api_fixture::api_fixture(bool gmail_enabled) : cfg_{make_config(dir_, gmail_enabled)} {
  seed_crm(cfg_.db_path, admin_token, member_token, alice, bob);
  rt_ = std::make_unique<actors::runtime>(cfg_);
  actx_ = std::make_unique<http::api_context>(http::api_context{cfg_, *rt_});
  routes_ = http::make_api_router(*actx_);
  http::server_options opts;
  opts.log_requests = false;
  srv_ = std::make_unique<http::server>(ioc_, net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), 0},
                                        *routes_, opts);
  port_ = srv_->local_endpoint().port();
  srv_->start();
  io_ = std::thread([this] { ioc_.run(); });
}

api_fixture::~api_fixture() {
  srv_->stop();
  guard_.reset();
  ioc_.stop();
  io_.join();
  srv_.reset();
  rt_->shutdown();
}

store::store_outcome api_fixture::store(const store::email_rec& e, const store::sighting_rec& s) {
  auto out = std::make_shared<store::store_outcome>();
  auto r = rt_->write_sync([e, s, out](store::connection& c) -> int64_t {
    auto o = store::email_repo{c}.store_message(e, s);
    if (!o) throw std::runtime_error(o.error().message);
    *out = *o;
    return o->email_id;
  });
  if (!r) throw std::runtime_error("store_message failed: " + r.error().message);
  return *out;
}

void api_fixture::mark_deleted(int64_t account, const std::string& gmail_id, const std::string& reason) {
  auto r = rt_->write_sync([account, gmail_id, reason](store::connection& c) -> int64_t {
    auto o = store::email_repo{c}.mark_deleted(account, gmail_id, reason);
    if (!o || !*o) throw std::runtime_error("mark_deleted changed nothing");
    return 1;
  });
  REQUIRE(r.ok());
}

void api_fixture::store_file(int64_t attachment_id, const std::string& bytes) {
  auto put = actors::attachment_store{cfg_.data_dir}.put(bytes);
  REQUIRE(put.ok());
  auto p = *put;
  auto r = rt_->write_sync([attachment_id, p](store::connection& c) -> int64_t {
    auto s = store::attachments_repo{c}.mark_stored(attachment_id, p.sha256, p.storage_path, p.size);
    if (!s) throw std::runtime_error(s.error().message);
    return 1;
  });
  REQUIRE(r.ok());
}

std::vector<int64_t> api_fixture::attachment_ids(int64_t email_id) {
  store::connection c{cfg_.db_path, store::open_mode::read_only};
  auto st = c.prepare("SELECT id FROM email_attachments WHERE email_id = ?1 ORDER BY part_id");
  st.bind(1, email_id);
  std::vector<int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  return out;
}

void api_fixture::exec(const std::string& sql) {
  auto r = rt_->write_sync([sql](store::connection& c) -> int64_t {
    c.exec(sql);
    return 1;
  });
  REQUIRE(r.ok());
}

http_reply api_fixture::get(const std::string& target, const std::string& token) {
  http_request_opts o;
  if (!token.empty()) o.headers["Authorization"] = "Bearer " + token;
  return http_call("127.0.0.1", port_, "GET", target, o);
}

json api_fixture::get_json(const std::string& target, const std::string& token, unsigned want) {
  auto r = get(target, token);
  INFO(target << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == want);
  auto j = json::parse(r.body, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

store::email_rec inbound(const std::string& key, const std::string& subject, int64_t ms, bool matched) {
  store::email_rec e;
  e.dedup_key = key;
  e.message_id = "<" + key + ">";
  e.subject = subject;
  e.from = {"Lee Partner", "lee@acme.com"};
  e.to = {{"Alice", "alice@fund.vc"}, {"Bob", "bob@fund.vc"}};
  e.internal_date_ms = ms;
  e.snippet = "Snippet of " + subject;
  e.size_estimate = 2048;
  if (matched) {
    e.body_text = "Body of " + subject;
    e.links.push_back({api_fixture::acme, api_fixture::acme_contact, "exact", "lee@acme.com"});
  }
  return e;
}

store::email_rec outbound(const std::string& key, const std::string& subject, int64_t ms) {
  auto e = inbound(key, subject, ms);
  e.from = {"Alice", "alice@fund.vc"};
  e.to = {{"Lee Partner", "lee@acme.com"}};
  return e;
}

store::email_rec reply_to(store::email_rec e, const std::string& parent_key) {
  e.in_reply_to = "<" + parent_key + ">";
  e.references = {"<" + parent_key + ">"};
  return e;
}

store::sighting_rec seen(int64_t account, const std::string& gmail_id, const std::string& gmail_thread,
                         std::vector<std::string> labels) {
  return {account, gmail_id, gmail_thread, std::move(labels)};
}

} // namespace gc::test

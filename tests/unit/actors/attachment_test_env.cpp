#include "attachment_test_env.hpp"

#include "sim/truth.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/email_repo.hpp"
#include "store/migrations.hpp"

#include <caf/scoped_actor.hpp>

#include <functional>
#include <set>
#include <sstream>

namespace gc::test {

attachment_world::attachment_world(const std::string& workspace) {
  sim::sim_options o;
  o.workspace = workspace;
  o.workers = 4;
  o.sa_key_out = dir.file("sa.json");
  auto s = sim::sim_server::create(ioc_, std::move(o));
  if (!s) FAIL("simulator: " << s.error().code << ": " << s.error().message);
  sim_ = std::move(*s);
  sim_->start();
  io_ = std::thread{[this] { ioc_.run(); }};
  std::stringstream ss;
  sim_->ws().write_truth(ss);
  for (auto& j : sim::read_truth(ss))
    if (j.value("type", "") == "message") truth.push_back(j);

  store::connection c{db_path};
  REQUIRE(store::migrate(c).ok());
  c.exec("INSERT INTO investors (id, name, email, domain) VALUES (10, 'Acme Capital', 'lp@acme.example', 'acme.example')");
  store::email_accounts_repo accounts{c};
  for (const auto& mb : sim_->ws().mailboxes()) account_ids[mb] = *accounts.enroll_account(mb);

  core::config cfg;
  cfg.db_path = db_path;
  cfg.data_dir = data_dir;
  rt_ = std::make_unique<actors::runtime>(cfg);
  limiter = caf::actor_cast<actors::rate_limiter_actor>(add_child(actors::rate_limiter_name, [](caf::local_actor* p) {
    actors::rate_limiter_options lo;
    lo.mailbox_units_sec = 1e6;
    lo.project_units_sec = 1e7;
    lo.jitter = caf::timespan{0};
    lo.seed = 1;
    return actors::spawn_rate_limiter(p, lo);
  }));
  auto a = gmail::dwd_auth::from_file(http_, dir.file("sa.json"));
  REQUIRE(a);
  auth_ = *a;
  gmail::client_options co;
  co.api_base = sim_->base_url();
  gmail_ = std::make_unique<gmail::client>(http_, auth_, co);
}

attachment_world::~attachment_world() {
  rt_->shutdown();
  rt_.reset();
  gmail_.reset();
  sim_->stop();
  guard_.reset();
  ioc_.stop();
  if (io_.joinable()) io_.join();
  sim_.reset();
}

caf::actor attachment_world::add_child(const std::string& name, actors::child_factory f) {
  caf::scoped_actor self{rt_->system()};
  self->request(rt_->supervisor(), std::chrono::seconds(30), caf::add_atom_v, actors::child_spec{name, std::move(f)})
      .receive([](caf::ok_atom) {}, [&](caf::error& e) { FAIL(rt_->system().render(e)); });
  caf::actor out;
  self->request(rt_->supervisor(), std::chrono::seconds(30), caf::get_atom_v, name)
      .receive([&](caf::actor& x) { out = x; }, [&](caf::error& e) { FAIL(rt_->system().render(e)); });
  return out;
}

actors::attachment_env attachment_world::env(int64_t max_bytes, int concurrency) {
  actors::attachment_env e;
  e.gmail = gmail_.get();
  e.limiter = limiter;
  e.rt = rt_.get();
  e.db_path = db_path;
  e.gate.retry_max = 2;
  e.gate.backoff_initial = std::chrono::milliseconds(10);
  e.gate.backoff_max = std::chrono::milliseconds(50);
  e.gate.permit_timeout = std::chrono::seconds(60);
  e.opts.data_dir = data_dir;
  e.opts.max_bytes = max_bytes;
  e.opts.concurrency = concurrency;
  return e;
}

std::vector<json> attachment_world::with_attachments() const {
  std::vector<json> out;
  std::set<std::string> keys;   // one copy per mail (a mail CC'd internally is in two mailboxes)
  for (const auto& t : truth)
    if (t.value("capture", false) && !t.value("softDeleted", false) && !t["attachments"].empty() &&
        keys.insert(t.value("mailKey", std::string{})).second)
      out.push_back(t);
  return out;
}

std::string attachment_world::current_attachment_id(const json& t, const std::string& part_id) {
  sim::get_params p;
  auto m = sim_->ws().get_message(t["mailbox"].get<std::string>(), t["id"].get<std::string>(), p);
  REQUIRE(m.ok());
  std::string found;
  std::function<void(const json&)> walk = [&](const json& part) {
    if (part.value("partId", std::string{"?"}) == part_id && part.contains("body"))
      found = part["body"].value("attachmentId", std::string{});
    if (part.contains("parts"))
      for (const auto& c : part["parts"]) walk(c);
  };
  walk((*m)["payload"]);
  REQUIRE_FALSE(found.empty());
  return found;
}

int64_t attachment_world::store(const json& t, bool matched, ids how, const std::string& key_suffix) {
  store::email_rec e;
  e.dedup_key = "key:" + t.value("mailKey", std::string{}) + key_suffix;
  e.subject = t.value("subject", std::string{});
  e.from = {"", t.value("from", std::string{})};
  e.internal_date_ms = t.value("internalDate", int64_t{0});
  if (matched) e.links = {{10, std::nullopt, "exact", e.from.email}};
  for (const auto& a : t["attachments"]) {
    auto part = a["partId"].get<std::string>();
    std::string att_id = how == ids::current ? current_attachment_id(t, part)
                         : how == ids::stale ? std::string{"ANGjdJstale0000"}
                                             : std::string{};
    e.attachments.push_back({part, a["filename"].get<std::string>(), a["mimeType"].get<std::string>(), "", att_id,
                             a["size"].get<int64_t>()});
  }
  auto labels = t["labels"].get<std::vector<std::string>>();
  store::sighting_rec s{account_ids.at(t["mailbox"].get<std::string>()), t["id"].get<std::string>(),
                        t["threadId"].get<std::string>(), labels};
  // Beside the runtime's writer: BEGIN IMMEDIATE waits for the write lock (busy_timeout). A
  // deferred transaction that read first would get SQLITE_BUSY at once if the writer held it.
  store::connection c{db_path};
  store::transaction tx{c};
  auto r = store::email_repo{c}.store_message(e, s);
  REQUIRE(r.ok());
  tx.commit();
  return r->email_id;
}

int64_t attachment_world::sim_calls(const std::string& method) {
  auto calls = sim_->stats()["gmail"]["calls"];
  return calls.value(method, int64_t{0});
}

} // namespace gc::test

#include "sim/sim_server.hpp"

#include "core/log.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gc::sim {
namespace {

gc::status write_text(const std::string& path, const std::string& text) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f.flush()) return gc::error{"io", "cannot write " + path};
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return gc::error{"io", "cannot write " + path + ": " + ec.message()};
  return gc::ok_v;
}

gc::result<std::unique_ptr<workspace>> build_workspace(const sim_options& o) {
  if (!o.mbox_file.empty()) return workspace::from_mbox(o.mbox_file, o.import_mailbox);
  if (!o.eml_dir.empty()) return workspace::from_eml_dir(o.eml_dir, o.import_mailbox);
  auto spec = workspace_spec::parse(o.workspace);
  if (!spec) return spec.error();
  return workspace::generate(*spec);
}

} // namespace

gc::result<std::unique_ptr<sim_server>> sim_server::create(boost::asio::io_context& ioc, sim_options opts,
                                                           std::unique_ptr<workspace> ws) {
  if (!ws) {
    auto built = build_workspace(opts);
    if (!built) return built.error();
    ws = std::move(*built);
  }
  auto sa = opts.sa_key_in.empty() ? make_service_account("gmail-capture-sim", "capture", opts.seed)
                                   : load_service_account(opts.sa_key_in);
  if (!sa) return sa.error();
  sa->dwd_scopes = opts.dwd_scopes;
  try {
    std::unique_ptr<sim_server> s{new sim_server(ioc, std::move(opts), std::move(ws), std::move(*sa))};
    const auto& o = s->opts_;
    if (!o.sa_key_out.empty())
      if (auto st = s->write_sa_key(o.sa_key_out); !st) return st.error();
    if (!o.truth_out.empty())
      if (auto st = s->write_truth(o.truth_out); !st) return st.error();
    if (!o.crm_seed_out.empty())
      if (auto st = write_text(o.crm_seed_out, s->ws_->crm_seed().dump(2) + "\n"); !st) return st.error();
    if (s->tls_ && !o.tls_dir.empty())
      if (auto st = write_ca_pem(*s->tls_, o.tls_dir); !st) return st.error();
    return s;
  } catch (const gc::error& e) {
    return e;
  } catch (const std::exception& e) {
    return gc::error{"bad_config", std::string{"cannot listen on "} + e.what()};
  }
}

sim_server::sim_server(boost::asio::io_context& ioc, sim_options opts, std::unique_ptr<workspace> ws,
                       service_account sa)
    : opts_(std::move(opts)),
      ws_(std::move(ws)),
      sa_(std::move(sa)),
      tokens_(clock_, opts_.token_ttl),
      quota_(opts_.quota, clock_),
      faults_(opts_.faults),
      token_ep_(tokens_, *ws_, faults_, clock_),
      gmail_ep_(*ws_, tokens_, quota_, faults_, timer_),
      batch_ep_(router_, quota_, faults_, tokens_, opts_.batch),
      live_rng_(opts_.seed) {
  token_ep_.add_service_account(sa_);
  auto client = opts_.oauth;
  token_ep_.set_oauth_client(client);
  token_ep_.install(router_);
  gmail_ep_.install(router_);
  batch_ep_.install(router_);
  install_sim_routes();

  std::shared_ptr<boost::asio::ssl::context> ctx;
  if (opts_.tls) {
    auto m = make_test_tls();
    if (!m) throw gc::error{m.error()};
    auto c = make_server_context(*m);
    if (!c) throw gc::error{c.error()};
    tls_ = std::move(*m);
    ctx = std::move(*c);
    scheme_ = "https";
  }
  http::server_options so;
  so.workers = opts_.workers;
  so.body_limit = opts_.body_limit;
  so.log_requests = opts_.log_requests;
  so.name = "sim";
  auto addr = boost::asio::ip::make_address(opts_.host);
  server_ = std::make_unique<http::server>(ioc, boost::asio::ip::tcp::endpoint{addr, opts_.port}, router_, so, ctx);
  token_ep_.set_token_uri(token_uri());
}

sim_server::~sim_server() {
  stop();
  server_.reset();
}

void sim_server::start() {
  server_->start();
  if (opts_.live_rate <= 0) return;
  timer_.every(std::chrono::milliseconds(100), [this] {
    int n = 0;
    {
      std::lock_guard lock{live_mu_};
      if (stopped_) return false;
      live_acc_ += opts_.live_rate * 0.1;
      n = static_cast<int>(live_acc_);
      live_acc_ -= n;
    }
    if (n > 0) tick_live(n);
    return true;
  });
}

void sim_server::stop() {
  {
    std::lock_guard lock{live_mu_};
    if (stopped_) return;
    stopped_ = true;
  }
  if (server_) server_->stop();
  timer_.stop();
  if (!opts_.truth_out.empty())
    if (auto st = write_truth(opts_.truth_out); !st) gc::log::warn("sim: {}", st.error().message);
}

uint16_t sim_server::port() const { return server_->local_endpoint().port(); }

std::size_t sim_server::connections() const { return server_ ? server_->connections() : 0; }

std::string sim_server::base_url() const {
  auto ep = server_->local_endpoint();
  auto addr = ep.address();
  std::string host = addr.is_unspecified() ? "127.0.0.1" : addr.to_string();
  if (addr.is_v6() && !addr.is_unspecified()) host = "[" + host + "]";
  return scheme_ + "://" + host + ":" + std::to_string(ep.port());
}

std::string sim_server::token_uri() const { return base_url() + "/token"; }

gc::status sim_server::write_sa_key(const std::string& path) const {
  return write_service_account_key(sa_, token_uri(), path);
}

gc::status sim_server::write_truth(const std::string& path) const {
  std::ostringstream out;
  ws_->write_truth(out);
  return write_text(path, out.str());
}

live_stats sim_server::tick_live(int n) {
  std::lock_guard lock{live_mu_};
  live_stats sum;
  for (int i = 0; i < n; ++i) {
    auto s = ws_->tick_live(live_rng_);
    sum.added += s.added;
    sum.deleted += s.deleted;
    sum.relabelled += s.relabelled;
  }
  live_total_.added += sum.added;
  live_total_.deleted += sum.deleted;
  live_total_.relabelled += sum.relabelled;
  return sum;
}

json sim_server::stats() const {
  json live;
  {
    std::lock_guard lock{live_mu_};
    live = {{"added", live_total_.added}, {"deleted", live_total_.deleted}, {"relabelled", live_total_.relabelled}};
  }
  return {{"quota", quota_.stats()},     {"faults", faults_.stats()}, {"tokens", tokens_.stats()},
          {"token_endpoint", token_ep_.stats()}, {"gmail", gmail_ep_.stats()}, {"batch", batch_ep_.stats()},
          {"live", live},                {"clock_offset_ms", clock_.offset().count()}};
}

} // namespace gc::sim

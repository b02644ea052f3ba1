#include "sim/token_store.hpp"

#include "core/crypto.hpp"

namespace gc::sim {

token_store::token_store(const sim_clock& clock, std::chrono::seconds ttl) : clock_(clock), ttl_(ttl) {}

std::chrono::seconds token_store::ttl() const {
  std::lock_guard lock{mu_};
  return ttl_;
}

void token_store::set_ttl(std::chrono::seconds ttl) {
  std::lock_guard lock{mu_};
  ttl_ = ttl;
}

void token_store::sweep() {
  if (access_.size() < 4096) return;
  auto now = clock_.now();
  for (auto it = access_.begin(); it != access_.end();)
    it = it->second.expires <= now ? access_.erase(it) : std::next(it);
}

std::string token_store::issue_access(std::string subject, std::vector<std::string> scopes,
                                      std::string client_id, std::string refresh_token) {
  auto token = "ya29.sim-" + core::random_token();
  std::lock_guard lock{mu_};
  sweep();
  access_[token] = access_grant{std::move(subject), std::move(scopes), std::move(client_id),
                                clock_.now() + ttl_, std::move(refresh_token)};
  ++n_access_;
  return token;
}

std::optional<access_grant> token_store::find_access(const std::string& token) const {
  std::lock_guard lock{mu_};
  auto it = access_.find(token);
  if (it == access_.end() || it->second.expires <= clock_.now()) return std::nullopt;
  return it->second;
}

std::string token_store::issue_refresh(std::string subject, std::vector<std::string> scopes,
                                       std::string client_id) {
  auto token = "1//sim-" + core::random_token();
  std::lock_guard lock{mu_};
  refresh_[token] = refresh_grant{std::move(subject), std::move(scopes), std::move(client_id)};
  ++n_refresh_;
  return token;
}

std::optional<refresh_grant> token_store::find_refresh(const std::string& token) const {
  std::lock_guard lock{mu_};
  auto it = refresh_.find(token);
  if (it == refresh_.end()) return std::nullopt;
  return it->second;
}

std::string token_store::issue_code(auth_code code) {
  auto token = "4/sim-" + core::random_token();
  std::lock_guard lock{mu_};
  code.expires = clock_.now() + std::chrono::minutes(10);
  codes_[token] = std::move(code);
  ++n_codes_;
  return token;
}

std::optional<auth_code> token_store::redeem_code(const std::string& code) {
  std::lock_guard lock{mu_};
  auto it = codes_.find(code);
  if (it == codes_.end()) return std::nullopt;
  auto c = std::move(it->second);
  codes_.erase(it);
  if (c.expires <= clock_.now()) return std::nullopt;
  return c;
}

bool token_store::revoke(const std::string& token) {
  std::lock_guard lock{mu_};
  if (refresh_.erase(token) > 0) {
    for (auto it = access_.begin(); it != access_.end();)
      it = it->second.refresh_token == token ? access_.erase(it) : std::next(it);
    ++n_revoked_;
    return true;
  }
  if (access_.erase(token) > 0) {
    ++n_revoked_;
    return true;
  }
  return false;
}

int token_store::revoke_subject(const std::string& subject) {
  std::vector<std::string> victims;
  {
    std::lock_guard lock{mu_};
    for (const auto& [tok, g] : refresh_)
      if (g.subject == subject) victims.push_back(tok);
  }
  for (const auto& v : victims) revoke(v);
  return static_cast<int>(victims.size());
}

json token_store::stats() const {
  std::lock_guard lock{mu_};
  auto now = clock_.now();
  int64_t live = 0;
  for (const auto& [tok, g] : access_)
    if (g.expires > now) ++live;
  return {{"access_issued", n_access_}, {"refresh_issued", n_refresh_}, {"codes_issued", n_codes_},
          {"revoked", n_revoked_},      {"live_access", live},          {"ttl_seconds", ttl_.count()}};
}

} // namespace gc::sim

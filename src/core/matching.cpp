#include "core/matching.hpp"

#include "core/email_address.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace gc::core {

const char* to_string(match_kind k) { return k == match_kind::exact ? "exact" : "domain"; }

void match_index::add_exact(const std::string& key, int64_t investor_id,
                            std::optional<int64_t> contact) {
  auto& targets = by_address_[key];
  auto it = std::find_if(targets.begin(), targets.end(),
                         [&](const target& t) { return t.investor_id == investor_id; });
  if (it == targets.end()) {
    targets.push_back({investor_id, contact});
    return;
  }
  // One target per investor: a contact beats the investor's own email; the smaller contact
  // id beats a larger one (deterministic whatever the row order).
  if (contact && (!it->contact_id || *contact < *it->contact_id)) it->contact_id = contact;
}

match_index match_index::build(const std::vector<crm_investor>& investors,
                               const std::vector<crm_contact>& contacts,
                               const index_options& opts) {
  match_index ix;
  auto& n = ix.counts_;

  for (const auto& raw : opts.extra_free_mail)
    if (auto d = normalize_domain(raw)) ix.extra_free_.push_back(*d);
  auto add_own_domain = [&](const std::string& d) {
    if (std::find(ix.own_domains_.begin(), ix.own_domains_.end(), d) == ix.own_domains_.end())
      ix.own_domains_.push_back(d);
  };
  if (auto d = normalize_domain(opts.workspace_domain)) add_own_domain(*d);
  for (const auto& raw : opts.own_addresses) {
    auto a = normalize_address(raw);
    if (!a) continue;
    ix.own_keys_.insert(address_key(*a));
    // The domain of our own mailboxes is ours too (covers an unset workspace domain), unless
    // it is a consumer domain shared with the world.
    std::string d{domain_of(*a)};
    if (!is_free_mail_domain(d)) add_own_domain(d);
  }

  std::unordered_set<int64_t> known;
  for (const auto& inv : investors) {
    known.insert(inv.id);
    ++n.investors;
    if (inv.graveyard) ++n.graveyard;
    for (const auto& a : parse_address_list(inv.email)) {
      auto key = address_key(a);
      if (!ix.own_keys_.count(key)) ix.add_exact(key, inv.id, std::nullopt);
    }
    // Count raw entries that did not survive normalization as ignored, too.
    size_t entries = 0;
    for (size_t i = 0; i < inv.domain.size();) {
      auto end = inv.domain.find_first_of(",; \t\r\n", i);
      if (end == std::string::npos) end = inv.domain.size();
      if (end > i) ++entries;
      i = end + 1;
    }
    auto domains = parse_domain_list(inv.domain);
    n.ignored_domains += entries > domains.size() ? entries - domains.size() : 0;
    for (const auto& d : domains) {
      if (!ix.domain_matchable(d)) {
        ++n.ignored_domains;
        continue;
      }
      auto& ids = ix.by_domain_[d];
      if (std::find(ids.begin(), ids.end(), inv.id) == ids.end()) ids.push_back(inv.id);
    }
  }

  for (const auto& c : contacts) {
    auto addresses = parse_address_list(c.email);
    if (c.deleted || !c.investor_id || !known.count(*c.investor_id) || addresses.empty()) {
      ++n.ignored_contacts;
      continue;
    }
    ++n.contacts;
    for (const auto& a : addresses) {
      auto key = address_key(a);
      if (!ix.own_keys_.count(key)) ix.add_exact(key, *c.investor_id, c.id);
    }
  }

  for (auto& [key, targets] : ix.by_address_)
    std::sort(targets.begin(), targets.end(),
              [](const target& x, const target& y) { return x.investor_id < y.investor_id; });
  for (auto& [d, ids] : ix.by_domain_) std::sort(ids.begin(), ids.end());
  n.addresses = ix.by_address_.size();
  n.domains = ix.by_domain_.size();
  return ix;
}

bool match_index::is_own_address(std::string_view a) const {
  return own_keys_.count(address_key(a)) > 0;
}

bool match_index::domain_matchable(std::string_view d) const {
  if (d.empty() || is_free_mail_domain(d)) return false;
  for (const auto& f : extra_free_)
    if (is_same_or_subdomain(d, f)) return false;
  for (const auto& own : own_domains_)
    if (is_same_or_subdomain(d, own)) return false;
  return true;
}

std::vector<investor_link> match_index::match_addresses(const std::vector<std::string>& addresses) const {
  std::vector<investor_link> out;
  std::set<std::pair<int64_t, std::string>> seen;  // (investor, address_key)
  auto emit = [&](int64_t investor, std::optional<int64_t> contact, match_kind kind,
                  const std::string& address, const std::string& key) {
    if (seen.emplace(investor, key).second) out.push_back({investor, contact, kind, address});
  };
  for (const auto& raw : addresses) {
    auto a = normalize_address(raw);
    if (!a) continue;
    auto key = address_key(*a);
    if (own_keys_.count(key)) continue;
    if (auto it = by_address_.find(key); it != by_address_.end()) {
      for (const auto& t : it->second) emit(t.investor_id, t.contact_id, match_kind::exact, *a, key);
      continue;  // exact beats domain for this address
    }
    auto d = domain_of(*a);
    if (!domain_matchable(d)) continue;
    // The most specific investor domain that d equals or lies under.
    for (auto s = d; !s.empty();) {
      if (auto it = by_domain_.find(std::string{s}); it != by_domain_.end()) {
        for (auto id : it->second) emit(id, std::nullopt, match_kind::domain, *a, key);
        break;
      }
      auto dot = s.find('.');
      if (dot == std::string_view::npos) break;
      s.remove_prefix(dot + 1);
    }
  }
  return out;
}

std::vector<investor_link> match_index::match(const participants& p) const {
  std::vector<std::string> all;
  all.reserve(1 + p.to.size() + p.cc.size() + p.bcc.size());
  all.push_back(p.from);
  for (const auto* list : {&p.to, &p.cc, &p.bcc}) all.insert(all.end(), list->begin(), list->end());
  return match_addresses(all);
}

} // namespace gc::core

#include "http/mail_json.hpp"

#include "http/content_safety.hpp"

namespace gc::http {
namespace {

template <class T>
json nullable(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json nonempty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

} // namespace

json party_json(const store::party& p) { return {{"name", p.name}, {"email", p.email}}; }

json parties_json(const std::vector<store::party>& ps) {
  json out = json::array();
  for (const auto& p : ps) out.push_back(party_json(p));
  return out;
}

json mailboxes_json(const std::vector<store::mailbox_ref>& ms) {
  json out = json::array();
  for (const auto& m : ms) out.push_back({{"account_id", m.account_id}, {"email", m.email}});
  return out;
}

json investors_json(const std::vector<store::investor_ref>& is) {
  json out = json::array();
  for (const auto& i : is)
    out.push_back({{"investor_id", i.investor_id},
                   {"name", i.name},
                   {"graveyard", i.graveyard},
                   {"match_kind", i.match_kind},
                   {"matched_address", i.matched_address},
                   {"contact_id", nullable(i.contact_id)},
                   {"contact_name", nullable(i.contact_name)}});
  return out;
}

json attachments_json(const std::vector<store::attachment_ref>& as) {
  json out = json::array();
  for (const auto& a : as)
    out.push_back({{"id", a.id},
                   {"filename", a.filename},
                   {"content_type", nonempty(a.content_type)},
                   {"size", a.size},
                   {"content_id", nonempty(a.content_id)},
                   {"status", a.status},
                   {"downloaded", a.downloaded},
                   {"url", attachment_path(a.id)}});
  return out;
}

} // namespace gc::http

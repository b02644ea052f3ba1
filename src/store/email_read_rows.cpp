#include "store/email_read_rows.hpp"

#include "core/json.hpp"
#include "store/read_page.hpp"

namespace gc::store {

std::vector<party> parse_parties(const std::string& json_text) {
  std::vector<party> out;
  auto j = json::parse(json_text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& a : j) {
    if (!a.is_object()) continue;
    party p;
    if (auto n = a.find("name"); n != a.end() && n->is_string()) p.name = n->get<std::string>();
    if (auto m = a.find("email"); m != a.end() && m->is_string()) p.email = m->get<std::string>();
    out.push_back(std::move(p));
  }
  return out;
}

namespace detail {

page_key snapshot(connection& c) {
  auto st = c.prepare("SELECT (SELECT coalesce(max(id), 0) FROM email_account_messages), "
                      "(SELECT coalesce(max(id), 0) FROM email_investor_links)");
  page_key k;
  if (st.step()) {
    k.sighting_mark = st.int64(0);
    k.link_mark = st.int64(1);
  }
  return k;
}

std::vector<mailbox_ref> live_mailboxes(connection& c, int64_t email_id) {
  auto st = c.prepare("SELECT a.id, a.email FROM email_account_messages s JOIN email_accounts a "
                      "ON a.id = s.account_id WHERE s.email_id = ?1 AND s.deleted_at IS NULL "
                      "GROUP BY a.id ORDER BY a.id");
  st.bind(1, email_id);
  std::vector<mailbox_ref> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1)});
  return out;
}

std::vector<investor_ref> investor_links(connection& c, int64_t email_id) {
  auto st = c.prepare("SELECT l.investor_id, coalesce(i.name, ''), coalesce(i.graveyard, 0), "
                      "l.match_kind, l.matched_address, ct.id, ct.name FROM email_investor_links l "
                      "LEFT JOIN investors i ON i.id = l.investor_id LEFT JOIN contacts ct ON "
                      "ct.id = l.contact_id AND ct.deleted_at IS NULL WHERE l.email_id = ?1 "
                      "ORDER BY l.investor_id, l.id");
  st.bind(1, email_id);
  std::vector<investor_ref> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.int64(2) != 0, st.text(3), st.text(4),
                   st.opt_int64(5), st.opt_text(6)});
  return out;
}

std::vector<attachment_ref> attachments_of(connection& c, int64_t email_id) {
  auto st = c.prepare("SELECT id, coalesce(filename, ''), coalesce(mime_type, ''), "
                      "coalesce(size, 0), coalesce(content_id, ''), status FROM email_attachments "
                      "WHERE email_id = ?1 ORDER BY id");
  st.bind(1, email_id);
  std::vector<attachment_ref> out;
  while (st.step()) {
    attachment_ref a{st.int64(0), st.text(1), st.text(2), st.int64(3), st.text(4), false, st.text(5)};
    a.downloaded = a.status == "stored";
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace detail
} // namespace gc::store

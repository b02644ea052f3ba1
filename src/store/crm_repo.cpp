#include "store/crm_repo.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"
#include "store/repo_util.hpp"

#include <sqlite3.h>

#include <chrono>
#include <limits>
#include <set>

namespace gc::store {
namespace {

// FNV-1a 64 over typed, length-prefixed fields (so ("ab","c") and ("a","bc") differ).
class hasher {
public:
  void bytes(const void* p, size_t n) {
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h_ = (h_ ^ b[i]) * 1099511628211ull;
  }
  void i64(int64_t v) { bytes(&v, sizeof v); }
  void column(sqlite3_stmt* s, int col) {  // NULL, integer or text
    int type = sqlite3_column_type(s, col);
    i64(type);
    if (type == SQLITE_NULL) return;
    if (type == SQLITE_INTEGER) return i64(sqlite3_column_int64(s, col));
    auto* p = sqlite3_column_text(s, col);
    int64_t n = sqlite3_column_bytes(s, col);
    i64(n);
    bytes(p, static_cast<size_t>(n));
  }
  uint64_t value() const { return h_; }

private:
  uint64_t h_ = 14695981039346656037ull;
};

std::set<std::string> columns_of(connection& c, const std::string& table) {
  std::set<std::string> out;
  statement st{c.raw(), "PRAGMA table_info(" + table + ")"};
  while (st.step()) out.insert(st.text(1));
  return out;
}

// The three queries, adapted to the columns the CRM's tables actually have.
struct crm_queries {
  std::string investors, contacts, mailboxes;
};

crm_queries queries_for(connection& c) {
  auto inv = columns_of(c, "investors");
  auto con = columns_of(c, "contacts");
  auto has = [](const std::set<std::string>& s, const char* col) { return s.count(col) > 0; };
  std::string domain = has(inv, "domain") ? "domain" : has(inv, "website") ? "website" : "NULL";
  crm_queries q;
  q.investors = std::string{"SELECT id, "} + (has(inv, "email") ? "email" : "NULL") + ", " +
                domain + ", " + (has(inv, "graveyard") ? "coalesce(graveyard, 0) != 0" : "0") +
                " FROM investors ORDER BY id";
  q.contacts = std::string{"SELECT id, "} + (has(con, "investor_id") ? "investor_id" : "NULL") +
               ", " + (has(con, "email") ? "email" : "NULL") + ", " +
               (has(con, "deleted_at") ? "deleted_at IS NOT NULL" : "0") +
               " FROM contacts ORDER BY id";
  q.mailboxes = "SELECT id, email FROM email_accounts ORDER BY id";
  return q;
}

// Reads every row, hashing it; also collects them when `out` is given.
uint64_t scan(connection& c, crm_rows* out) {
  detail::read_snapshot tx{c};  // the three tables from one snapshot
  auto q = queries_for(c);
  hasher h;
  auto st = c.prepare(q.investors);
  h.i64(1);
  while (st.step()) {
    for (int i = 0; i < 4; ++i) h.column(st.raw(), i);
    if (out) out->investors.push_back({st.int64(0), st.text(1), st.text(2), st.int64(3) != 0});
  }
  auto sc = c.prepare(q.contacts);
  h.i64(2);
  while (sc.step()) {
    for (int i = 0; i < 4; ++i) h.column(sc.raw(), i);
    if (out) out->contacts.push_back({sc.int64(0), sc.opt_int64(1), sc.text(2), sc.int64(3) != 0});
  }
  auto sm = c.prepare(q.mailboxes);
  h.i64(3);
  while (sm.step()) {
    for (int i = 0; i < 2; ++i) h.column(sm.raw(), i);
    if (out) out->mailbox_addresses.push_back(sm.text(1));
  }
  return h.value();
}

// The date range of a rematch: [ms, iso] bounds for internal_date / sent_at.
struct since_bounds {
  int64_t ms = std::numeric_limits<int64_t>::min();
  std::string iso;
};

std::optional<since_bounds> parse_since(std::string_view since) {
  if (since.empty()) return since_bounds{};
  auto t = core::parse_iso8601(since);
  if (!t) return std::nullopt;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch());
  return since_bounds{ms.count(), core::iso8601_utc(*t)};
}

constexpr const char* in_range_sql =
    "(e.internal_date >= ?2 OR (e.internal_date IS NULL AND coalesce(e.sent_at, '') >= ?3))";

void add_addresses(const std::string& json_text, std::vector<std::string>& out) {
  auto j = json::parse(json_text, nullptr, false);
  if (!j.is_array()) return;
  for (const auto& a : j)
    if (a.is_object())
      if (auto it = a.find("email"); it != a.end() && it->is_string())
        out.push_back(it->get<std::string>());
}

} // namespace

result<crm_rows> crm_repo::load() {
  return detail::guarded([&]() -> result<crm_rows> {
    crm_rows rows;
    rows.fingerprint = scan(c_, &rows);
    return rows;
  });
}

result<uint64_t> crm_repo::fingerprint() {
  return detail::guarded([&]() -> result<uint64_t> { return scan(c_, nullptr); });
}

result<int64_t> crm_repo::data_version() {
  return detail::guarded([&]() -> result<int64_t> {
    auto st = c_.prepare("PRAGMA data_version");
    return st.step() ? st.int64(0) : int64_t{0};
  });
}

result<std::vector<rematch_email>> crm_repo::emails_since(std::string_view since,
                                                          int64_t after_id, int limit) {
  auto b = parse_since(since);
  if (!b) return error{"invalid", "since must be ISO-8601 (YYYY-MM-DD[THH:MM[:SS]][Z])"};
  return detail::guarded([&]() -> result<std::vector<rematch_email>> {
    auto st = c_.prepare(std::string{"SELECT e.id, coalesce(e.from_email, ''), e.to_json, "
                                     "e.cc_json, e.bcc_json FROM emails e WHERE e.id > ?1 AND "} +
                         in_range_sql + " ORDER BY e.id LIMIT ?4");
    st.bind(1, after_id).bind(2, b->ms).bind(3, b->iso).bind(4, limit);
    std::vector<rematch_email> out;
    while (st.step()) {
      rematch_email e;
      e.email_id = st.int64(0);
      e.participants.from = st.text(1);
      add_addresses(st.text(2), e.participants.to);
      add_addresses(st.text(3), e.participants.cc);
      add_addresses(st.text(4), e.participants.bcc);
      out.push_back(std::move(e));
    }
    return out;
  });
}

result<link_outcome> crm_repo::apply_links(int64_t email_id, const std::vector<link_rec>& links) {
  for (const auto& l : links)
    if (l.match_kind != "exact" && l.match_kind != "domain")
      return error{"invalid", "link match_kind must be 'exact' or 'domain'"};
  return detail::guarded([&]() -> result<link_outcome> {
    savepoint sp{c_, "crm_apply_links"};
    auto st = c_.prepare("SELECT 1 FROM emails WHERE id = ?1");
    st.bind(1, email_id);
    if (!st.step()) return error{"not_found", "no email " + std::to_string(email_id)};
    link_outcome out;
    for (const auto& l : links) {
      // An investor deleted since the index was built is skipped (no foreign key failure);
      // a contact deleted since then leaves contact_id NULL.
      c_.prepare("INSERT INTO email_investor_links (email_id, investor_id, contact_id, "
                 "match_kind, matched_address) SELECT ?1, i.id, (SELECT c.id FROM contacts c "
                 "WHERE c.id = ?3), ?4, ?5 FROM investors i WHERE i.id = ?2 "
                 "ON CONFLICT (email_id, investor_id, matched_address) DO NOTHING")
          .bind(1, email_id)
          .bind(2, l.investor_id)
          .bind(3, l.contact_id)
          .bind(4, l.match_kind)
          .bind(5, l.matched_address)
          .run();
      out.links_added += c_.changes();
    }
    c_.prepare("UPDATE emails SET is_matched = 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
               "'now') WHERE id = ?1 AND is_matched = 0 AND EXISTS (SELECT 1 FROM "
               "email_investor_links WHERE email_id = ?1)")
        .bind(1, email_id)
        .run();
    out.newly_matched = c_.changes() > 0;
    sp.release();
    return out;
  });
}

result<std::vector<body_fetch_rec>> crm_repo::emails_needing_body(std::string_view since,
                                                                  int64_t after_id, int limit) {
  auto b = parse_since(since);
  if (!b) return error{"invalid", "since must be ISO-8601 (YYYY-MM-DD[THH:MM[:SS]][Z])"};
  return detail::guarded([&]() -> result<std::vector<body_fetch_rec>> {
    auto st = c_.prepare(
        std::string{"SELECT e.id, s.account_id, s.gmail_message_id FROM emails e "
                    "JOIN email_account_messages s ON s.id = (SELECT s2.id FROM "
                    "email_account_messages s2 JOIN email_accounts a ON a.id = s2.account_id "
                    "WHERE s2.email_id = e.id AND s2.deleted_at IS NULL "
                    "ORDER BY a.sync_enabled DESC, s2.id LIMIT 1) "
                    "WHERE e.id > ?1 AND e.is_matched = 1 AND e.has_body = 0 AND "} +
        in_range_sql + " ORDER BY e.id LIMIT ?4");
    st.bind(1, after_id).bind(2, b->ms).bind(3, b->iso).bind(4, limit);
    std::vector<body_fetch_rec> out;
    while (st.step()) out.push_back({st.int64(0), st.int64(1), st.text(2)});
    return out;
  });
}

} // namespace gc::store

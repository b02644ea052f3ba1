#include "store/email_repo.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/threading.hpp"
#include "store/email_search_repo.hpp"
#include "store/email_sightings.hpp"
#include "store/email_threads.hpp"
#include "store/repo_util.hpp"

#include <set>

namespace gc::store {
namespace {

constexpr const char* now_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

struct stored_email {
  int64_t id = 0;
  std::optional<int64_t> thread_id;
  bool has_body = false;
};

std::optional<std::string> nullable(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

bool carries_body(const email_rec& e) { return e.body_text.has_value() || e.body_html.has_value(); }

std::string addresses_json(const std::vector<address_rec>& list) {
  auto arr = json::array();
  for (const auto& a : list) arr.push_back({{"name", a.name}, {"email", a.email}});
  return arr.dump();
}

std::string join_refs(const std::vector<std::string>& refs) {
  std::string out;
  for (const auto& r : refs) {
    if (r.empty()) continue;
    if (!out.empty()) out += ' ';
    out += r;
  }
  return out;
}

std::optional<stored_email> find_email(connection& c, const std::string& dedup_key) {
  auto st = c.prepare("SELECT id, thread_id, has_body FROM emails WHERE dedup_key = ?1");
  st.bind(1, dedup_key);
  if (!st.step()) return std::nullopt;
  return stored_email{st.int64(0), st.opt_int64(1), st.int64(2) != 0};
}

bool is_outbound(connection& c, const std::string& from_email) {
  if (from_email.empty()) return false;
  auto st = c.prepare("SELECT EXISTS (SELECT 1 FROM email_accounts WHERE email = ?1)");
  st.bind(1, from_email);  // the column is COLLATE NOCASE
  return st.step() && st.int64(0) != 0;
}

int64_t insert_email(connection& c, const email_rec& e, int64_t thread_id, const char* direction,
                     const std::string& now) {
  auto st = c.prepare(
      "INSERT INTO emails (dedup_key, message_id, thread_id, in_reply_to, refs, subject, "
      "from_email, from_name, to_json, cc_json, bcc_json, sent_at, internal_date, snippet, "
      "body_text, body_html, has_body, is_matched, direction, size_estimate, created_at, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
      "?17, ?18, ?19, ?20, ?21, ?21)");
  st.bind(1, e.dedup_key).bind(2, e.message_id).bind(3, thread_id).bind(4, e.in_reply_to);
  st.bind(5, nullable(join_refs(e.references))).bind(6, e.subject);
  st.bind(7, e.from.email).bind(8, e.from.name);
  st.bind(9, addresses_json(e.to)).bind(10, addresses_json(e.cc)).bind(11, addresses_json(e.bcc));
  st.bind(12, e.sent_at);
  if (e.internal_date_ms > 0) st.bind(13, e.internal_date_ms); else st.bind_null(13);
  st.bind(14, e.snippet).bind(15, e.body_text).bind(16, e.body_html);
  st.bind(17, carries_body(e) ? 1 : 0).bind(18, e.links.empty() ? 0 : 1).bind(19, direction);
  st.bind(20, e.size_estimate).bind(21, now);
  st.run();
  return c.last_insert_id();
}

void fill_body(connection& c, int64_t id, const email_rec& e) {
  c.prepare(std::string{"UPDATE emails SET body_text = ?2, body_html = ?3, has_body = 1, "
                        "updated_at = "} + now_sql + " WHERE id = ?1 AND has_body = 0")
      .bind(1, id)
      .bind(2, e.body_text)
      .bind(3, e.body_html)
      .run();
}

// A search-index write owed by a stored message, done after its savepoint (see store_messages).
struct index_job {
  int64_t email_id;
  const email_rec* email;
  bool whole;  // a new row (subject, participants, body) or only the body that just arrived
};

// Work owed by stored messages, done once after their savepoints (see store_messages): index
// rows, and the aggregates of every thread they touched (a page often carries a whole thread:
// refreshing it once instead of once per message).
struct deferred {
  std::vector<index_job> index;
  std::set<int64_t> threads;
};

void finish(connection& c, const deferred& d) {
  for (const auto& j : d.index) {
    if (j.whole) detail::index_email(c, j.email_id, *j.email);
    else detail::index_body(c, j.email_id, j.email->body_text ? *j.email->body_text : j.email->snippet);
  }
  for (int64_t t : d.threads) detail::refresh_thread(c, t);  // a merged-away thread: no row, no-op
}

void insert_links(connection& c, int64_t email_id, const std::vector<link_rec>& links) {
  for (const auto& l : links) {
    c.prepare("INSERT INTO email_investor_links (email_id, investor_id, contact_id, match_kind, "
              "matched_address) VALUES (?1, ?2, ?3, ?4, ?5) "
              "ON CONFLICT (email_id, investor_id, matched_address) DO NOTHING")
        .bind(1, email_id)
        .bind(2, l.investor_id)
        .bind(3, l.contact_id)
        .bind(4, l.match_kind)
        .bind(5, l.matched_address)
        .run();
  }
}

void insert_attachments(connection& c, int64_t email_id, const email_rec& e,
                        const sighting_rec& s) {
  for (const auto& a : e.attachments) {
    // A stub once per part; a later copy only supplies a missing Gmail attachment id.
    c.prepare(std::string{
                  "INSERT INTO email_attachments (email_id, part_id, filename, mime_type, size, "
                  "content_id, gmail_attachment_id, source_account_id, source_gmail_message_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (email_id, part_id) DO "
                  "UPDATE SET gmail_attachment_id = excluded.gmail_attachment_id, "
                  "source_account_id = excluded.source_account_id, source_gmail_message_id = "
                  "excluded.source_gmail_message_id, updated_at = "} + now_sql +
              " WHERE gmail_attachment_id IS NULL AND excluded.gmail_attachment_id IS NOT NULL")
        .bind(1, email_id)
        .bind(2, a.part_id)
        .bind(3, nullable(a.filename))
        .bind(4, nullable(a.mime_type))
        .bind(5, a.size)
        .bind(6, nullable(a.content_id))
        .bind(7, nullable(a.gmail_attachment_id))
        .bind(8, s.account_id)
        .bind(9, s.gmail_message_id)
        .run();
  }
}

// direction, thread and is_matched of a stored email, written only when they change.
void update_email_state(connection& c, int64_t id, int64_t thread_id, const char* direction) {
  c.prepare(std::string{"UPDATE emails SET direction = ?2, thread_id = ?3, is_matched = "
                        "EXISTS (SELECT 1 FROM email_investor_links WHERE email_id = ?1), "
                        "updated_at = "} + now_sql +
            " WHERE id = ?1 AND (direction IS NOT ?2 OR thread_id IS NOT ?3 OR is_matched IS NOT "
            "EXISTS (SELECT 1 FROM email_investor_links WHERE email_id = ?1))")
      .bind(1, id)
      .bind(2, direction)
      .bind(3, thread_id)
      .run();
}

std::optional<error> validate(const email_rec& e, const sighting_rec& s) {
  if (e.dedup_key.empty()) return error{"invalid", "email has no dedup_key"};
  if (s.gmail_message_id.empty()) return error{"invalid", "sighting has no gmail_message_id"};
  for (const auto& l : e.links)
    if (l.match_kind != "exact" && l.match_kind != "domain")
      return error{"invalid", "link match_kind must be 'exact' or 'domain'"};
  for (const auto& a : e.attachments)
    if (a.part_id.empty()) return error{"invalid", "attachment has no part_id"};
  return std::nullopt;
}

// The writes of one valid message; throws db_error. Its index write and thread refresh go to
// `later` (only once it has succeeded). `now`: the batch's time for the new rows' timestamps
// (formatted once, not by SQLite per row and column).
store_outcome write_one(connection& c, const email_rec& e, const sighting_rec& s, deferred& later,
                        const std::string& now) {
  store_outcome out;
  std::optional<index_job> job;
  const auto existing = find_email(c, e.dedup_key);
  const auto keys = core::thread_keys(s.account_id, s.gmail_thread_id, e.message_id,
                                      e.in_reply_to, e.references);
  out.thread_id = detail::resolve_thread(c, keys, existing ? existing->thread_id : std::nullopt);
  const char* direction = is_outbound(c, e.from.email) ? "outbound" : "inbound";

  if (!existing) {
    out.email_id = insert_email(c, e, out.thread_id, direction, now);
    out.created = true;
    job = index_job{out.email_id, &e, true};
  } else {
    out.email_id = existing->id;
    if (!existing->has_body && carries_body(e)) {
      fill_body(c, out.email_id, e);
      out.body_filled = true;
      job = index_job{out.email_id, &e, false};
    }
  }
  insert_links(c, out.email_id, e.links);
  insert_attachments(c, out.email_id, e, s);
  // A new row already has this direction and thread, and is_matched = its links (just written).
  if (existing) update_email_state(c, out.email_id, out.thread_id, direction);

  out.new_sighting = detail::upsert_sighting(c, out.email_id, s, now);
  c.prepare("DELETE FROM email_skipped_messages WHERE account_id = ?1 AND gmail_message_id = ?2")
      .bind(1, s.account_id)
      .bind(2, s.gmail_message_id)
      .run();
  if (job) later.index.push_back(*job);
  later.threads.insert(out.thread_id);
  return out;
}

// One message inside its own savepoint: a failure undoes it alone.
result<store_outcome> store_one(connection& c, const email_rec& e, const sighting_rec& s, deferred& later,
                                const std::string& now) {
  if (auto bad = validate(e, s)) return *bad;
  return detail::guarded([&]() -> result<store_outcome> {
    savepoint sp{c, "email_store_message"};
    deferred mine;
    auto out = write_one(c, e, s, mine, now);
    sp.release();
    later.index.insert(later.index.end(), mine.index.begin(), mine.index.end());
    later.threads.insert(mine.threads.begin(), mine.threads.end());
    return out;
  });
}

// The whole batch in ONE savepoint. Each SAVEPOINT copies every page it first touches into the
// statement journal, so a savepoint per message costs a journal write per page per message;
// almost every batch succeeds as a whole. False (and nothing written) when a write failed:
// the caller then stores message by message.
bool store_all_at_once(connection& c, const email_repo::message_batch& batch,
                       std::vector<result<store_outcome>>& out, deferred& later, const std::string& now) {
  try {
    savepoint sp{c, "email_store_batch"};
    deferred all;
    for (const auto& [e, s] : batch) {
      if (auto bad = validate(e, s)) out.push_back(*bad);  // refused before any write
      else out.push_back(write_one(c, e, s, all, now));
    }
    sp.release();
    later = std::move(all);
    return true;
  } catch (const db_error&) {
    out.clear();
    return false;
  }
}

} // namespace

result<store_outcome> email_repo::store_message(const email_rec& e, const sighting_rec& s) {
  return detail::guarded([&]() -> result<store_outcome> {
    savepoint sp{c_, "email_store_indexed"};  // the message and its index row, or neither
    deferred later;
    auto out = store_one(c_, e, s, later, core::iso8601_now());
    if (!out) return out;
    finish(c_, later);
    sp.release();
    return out;
  });
}

result<std::vector<result<store_outcome>>> email_repo::store_messages(const message_batch& batch) {
  std::vector<result<store_outcome>> out;
  out.reserve(batch.size());
  deferred later;
  const auto now = core::iso8601_now();
  if (!store_all_at_once(c_, batch, out, later, now))
    for (const auto& [e, s] : batch) out.push_back(store_one(c_, e, s, later, now));
  return detail::guarded([&]() -> result<std::vector<result<store_outcome>>> {
    finish(c_, later);
    return std::move(out);
  });
}

} // namespace gc::store

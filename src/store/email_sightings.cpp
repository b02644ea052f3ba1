#include "store/email_sightings.hpp"

#include "core/json.hpp"
#include "store/email_repo.hpp"
#include "store/repo_util.hpp"

#include <algorithm>

namespace gc::store {
namespace {

constexpr const char* now_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

struct sighting_row {
  int64_t id = 0;
  int64_t email_id = 0;
  std::optional<std::string> gmail_thread_id;
  std::vector<std::string> labels;
  std::optional<std::string> deleted_reason;
};

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string> parse_labels(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::optional<sighting_row> find_sighting(connection& c, int64_t account_id,
                                          std::string_view gmail_message_id) {
  auto st = c.prepare("SELECT id, email_id, gmail_thread_id, label_ids, deleted_reason FROM "
                      "email_account_messages WHERE account_id = ?1 AND gmail_message_id = ?2");
  st.bind(1, account_id).bind(2, gmail_message_id);
  if (!st.step()) return std::nullopt;
  return sighting_row{st.int64(0), st.int64(1), st.opt_text(2), parse_labels(st.text(3)),
                      st.opt_text(4)};
}

// Writes labels, is_sent and the soft delete they imply onto an existing sighting. A 'deleted'
// sighting stays deleted; an unchanged reason keeps its deleted_at. True when a value changed.
bool write_state(connection& c, const sighting_row& row, int64_t email_id,
                 const std::optional<std::string>& thread_id,
                 const std::vector<std::string>& labels,
                 std::optional<std::string> forced_reason = std::nullopt) {
  std::optional<std::string> reason = forced_reason ? forced_reason
                                                    : detail::deleted_reason_for(labels);
  if (row.deleted_reason == "deleted") reason = row.deleted_reason;
  c.prepare(std::string{"UPDATE email_account_messages SET email_id = ?2, gmail_thread_id = ?3, "
                        "label_ids = ?4, is_sent = ?5, deleted_at = CASE WHEN ?6 IS NULL THEN "
                        "NULL WHEN deleted_reason IS ?6 THEN deleted_at ELSE "} + now_sql +
            " END, deleted_reason = ?6, updated_at = " + now_sql +
            " WHERE id = ?1 AND (email_id IS NOT ?2 OR gmail_thread_id IS NOT ?3 OR label_ids IS "
            "NOT ?4 OR is_sent IS NOT ?5 OR deleted_reason IS NOT ?6)")
      .bind(1, row.id)
      .bind(2, email_id)
      .bind(3, thread_id)
      .bind(4, json(labels).dump())
      .bind(5, has(labels, "SENT") ? 1 : 0)
      .bind(6, reason)
      .run();
  return c.changes() > 0;
}

} // namespace

namespace detail {

std::optional<std::string> deleted_reason_for(const std::vector<std::string>& labels) {
  if (has(labels, "TRASH")) return std::string{"trash"};
  if (has(labels, "SPAM")) return std::string{"spam"};
  return std::nullopt;
}

bool upsert_sighting(connection& c, int64_t email_id, const sighting_rec& s, const std::string& now) {
  std::optional<std::string> thread;
  if (!s.gmail_thread_id.empty()) thread = s.gmail_thread_id;
  if (auto row = find_sighting(c, s.account_id, s.gmail_message_id)) {
    write_state(c, *row, email_id, thread, s.label_ids);
    return false;
  }
  auto reason = deleted_reason_for(s.label_ids);
  c.prepare("INSERT INTO email_account_messages (account_id, email_id, gmail_message_id, "
            "gmail_thread_id, label_ids, is_sent, deleted_at, deleted_reason, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?7 IS NULL THEN NULL ELSE ?8 END, ?7, ?8, ?8)")
      .bind(1, s.account_id)
      .bind(2, email_id)
      .bind(3, s.gmail_message_id)
      .bind(4, thread)
      .bind(5, json(s.label_ids).dump())
      .bind(6, has(s.label_ids, "SENT") ? 1 : 0)
      .bind(7, reason)
      .bind(8, now)
      .run();
  return true;
}

} // namespace detail

status email_repo::record_skip(const skipped_rec& k) {
  if (k.gmail_message_id.empty() || k.reason.empty())
    return error{"invalid", "a skip needs a gmail_message_id and a reason"};
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"INSERT INTO email_skipped_messages (account_id, gmail_message_id, "
                           "reason, detail) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, "
                           "gmail_message_id) DO UPDATE SET reason = excluded.reason, detail = "
                           "excluded.detail, attempts = attempts + 1, last_at = "} + now_sql)
        .bind(1, k.account_id)
        .bind(2, k.gmail_message_id)
        .bind(3, k.reason)
        .bind(4, k.detail.substr(0, 2000))
        .run();
    return ok_v;
  });
}

result<bool> email_repo::mark_deleted(int64_t account_id, std::string_view gmail_message_id,
                                      std::string_view reason) {
  if (reason != "deleted" && reason != "trash" && reason != "spam")
    return error{"invalid", "delete reason must be 'deleted', 'trash' or 'spam'"};
  return detail::guarded([&]() -> result<bool> {
    auto row = find_sighting(c_, account_id, gmail_message_id);
    if (!row) return false;
    return write_state(c_, *row, row->email_id, row->gmail_thread_id, row->labels,
                       std::string{reason});
  });
}

result<bool> email_repo::apply_labels(int64_t account_id, std::string_view gmail_message_id,
                                      const std::vector<std::string>& labels_added,
                                      const std::vector<std::string>& labels_removed) {
  return detail::guarded([&]() -> result<bool> {
    auto row = find_sighting(c_, account_id, gmail_message_id);
    if (!row) return false;
    std::vector<std::string> labels;
    for (const auto& l : row->labels)
      if (!has(labels_removed, l) && !has(labels, l)) labels.push_back(l);
    for (const auto& l : labels_added)
      if (!has(labels_removed, l) && !has(labels, l)) labels.push_back(l);
    return write_state(c_, *row, row->email_id, row->gmail_thread_id, labels);
  });
}

result<std::vector<std::string>> email_repo::sighted_ids(
    int64_t account_id, const std::vector<std::string>& gmail_ids) {
  if (gmail_ids.empty()) return std::vector<std::string>{};
  return detail::guarded([&]() -> result<std::vector<std::string>> {
    // One cached statement for any number of ids: they travel as a JSON array.
    auto st = c_.prepare("SELECT j.value FROM json_each(?2) j WHERE EXISTS (SELECT 1 FROM "
                         "email_account_messages WHERE account_id = ?1 AND gmail_message_id = "
                         "j.value) ORDER BY j.key");
    st.bind(1, account_id).bind(2, json(gmail_ids).dump());
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
  });
}

result<std::vector<std::string>> email_repo::live_sighting_ids(int64_t account_id) {
  return detail::guarded([&]() -> result<std::vector<std::string>> {
    auto st = c_.prepare("SELECT gmail_message_id FROM email_account_messages WHERE account_id = ?1 "
                         "AND deleted_reason IS NOT 'deleted'");
    st.bind(1, account_id);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
  });
}

result<std::optional<int64_t>> email_repo::email_id_for(int64_t account_id,
                                                        std::string_view gmail_message_id) {
  return detail::guarded([&]() -> result<std::optional<int64_t>> {
    auto st = c_.prepare("SELECT email_id FROM email_account_messages WHERE account_id = ?1 AND "
                         "gmail_message_id = ?2");
    st.bind(1, account_id).bind(2, gmail_message_id);
    if (!st.step()) return std::optional<int64_t>{};
    return std::optional<int64_t>{st.int64(0)};
  });
}

} // namespace gc::store

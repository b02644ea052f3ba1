#include "store/attachments_repo.hpp"

#include "store/repo_util.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace gc::store {
namespace {

constexpr const char* now_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// The due rows with their source. ?1 = now ("" = current time). The source is the stub's own
// sighting unless that copy was deleted from its mailbox; then another live copy (not
// trashed first), which needs a fresh attachment id. The attachment is the outer loop
// (CROSS JOIN), so a status's rows are read in id order from email_attachments_status.
const std::string select_from = std::string{
    "SELECT a.id, a.email_id, a.part_id, coalesce(a.filename, ''), coalesce(a.mime_type, ''), "
    "coalesce(a.size, 0), a.status, a.attempts, s.account_id, coalesce(acc.email, ''), "
    "coalesce(s.gmail_message_id, ''), coalesce(a.gmail_attachment_id, ''), "
    "(s.account_id IS a.source_account_id AND s.gmail_message_id IS a.source_gmail_message_id) "
    "FROM email_attachments a "
    "CROSS JOIN emails e ON e.id = a.email_id "
    "LEFT JOIN email_account_messages s ON s.id = coalesce("
    "  (SELECT x.id FROM email_account_messages x WHERE x.account_id = a.source_account_id "
    "   AND x.gmail_message_id = a.source_gmail_message_id AND x.email_id = a.email_id "
    "   AND x.deleted_reason IS NOT 'deleted'), "
    "  (SELECT x.id FROM email_account_messages x "
    "   WHERE x.email_id = a.email_id AND x.deleted_reason IS NOT 'deleted' "
    "   ORDER BY x.deleted_at IS NOT NULL, x.id LIMIT 1)) "
    "LEFT JOIN email_accounts acc ON acc.id = s.account_id "};

// A failed row is due again after 2^attempts minutes, until max_attempts.
const std::string failed_due = std::string{"a.status = 'failed' AND a.attempts < "} +
                               std::to_string(attachments_repo::max_attempts) +
                               " AND a.updated_at <= strftime('%Y-%m-%dT%H:%M:%fZ', "
                               "coalesce(nullif(?1, ''), 'now'), '-' || (1 << a.attempts) || ' minutes')";

const std::string select_due =
    select_from + "WHERE e.is_matched = 1 AND (a.status = 'pending' OR (" + failed_due + ")) ";

pending_attachment read_row(statement& st) {
  pending_attachment p;
  p.id = st.int64(0);
  p.email_id = st.int64(1);
  p.part_id = st.text(2);
  p.filename = st.text(3);
  p.mime_type = st.text(4);
  p.size = st.int64(5);
  p.status = st.text(6);
  p.attempts = st.int64(7);
  p.account_id = st.opt_int64(8);
  p.account_email = st.text(9);
  p.gmail_message_id = st.text(10);
  bool same_source = st.int64(12) != 0;
  p.source_switched = p.account_id && !same_source;
  if (p.account_id && same_source) p.gmail_attachment_id = st.text(11);
  return p;
}

} // namespace

result<std::vector<pending_attachment>> attachments_repo::pending(int limit, std::string_view now, int64_t after) {
  return detail::guarded([&]() -> result<std::vector<pending_attachment>> {
    // One ordered read per status from `after` on, merged. (One query for both statuses read
    // every pending row, unmatched mail's stubs included, and sorted them, at each refill of
    // the fetcher's queue: work that grew with the mailbox.)
    auto read = [&](const std::string& where) {
      auto st = c_.prepare(select_from + "WHERE " + where +
                           " AND a.id > ?3 AND e.is_matched = 1 ORDER BY a.id LIMIT ?2");
      st.bind(1, now).bind(2, limit < 0 ? 0 : limit).bind(3, after);
      std::vector<pending_attachment> rows;
      while (st.step()) rows.push_back(read_row(st));
      return rows;
    };
    auto fresh = read("a.status = 'pending'");
    auto again = read(failed_due);
    std::vector<pending_attachment> out;
    out.reserve(fresh.size() + again.size());
    std::merge(std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()),
               std::make_move_iterator(again.begin()), std::make_move_iterator(again.end()),
               std::back_inserter(out), [](const auto& x, const auto& y) { return x.id < y.id; });
    if (out.size() > static_cast<size_t>(std::max(limit, 0))) out.resize(static_cast<size_t>(std::max(limit, 0)));
    return out;
  });
}

result<std::vector<pending_attachment>> attachments_repo::due(const std::vector<int64_t>& ids, std::string_view now) {
  return detail::guarded([&]() -> result<std::vector<pending_attachment>> {
    // Autocommit reads would each take a snapshot, and a reader's page cache starts over
    // whenever the writer committed in between.
    read_transaction snapshot{c_};
    std::vector<pending_attachment> rows;
    for (auto id : ids) {
      auto st = c_.prepare(select_due + "AND a.id = ?2");  // the cached statement, reset
      st.bind(1, now).bind(2, id);
      if (st.step()) rows.push_back(read_row(st));
    }
    return rows;
  });
}

status attachments_repo::changed_one(const char* what) {
  if (c_.changes() == 1) return ok_v;
  return error{"not_found", std::string{what} + ": no attachment with that id"};
}

status attachments_repo::mark_stored(int64_t id, std::string_view sha256, std::string_view storage_path,
                                     int64_t size) {
  if (sha256.size() != 64 || storage_path.empty() || size < 0)
    return error{"invalid", "mark_stored: a 64-digit sha256, a path and a size are required"};
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET status = 'stored', sha256 = ?2, storage_path = ?3, "
                           "size = ?4, error = NULL, updated_at = "} + now_sql + " WHERE id = ?1")
        .bind(1, id).bind(2, sha256).bind(3, storage_path).bind(4, size).run();
    return changed_one("mark_stored");
  });
}

status attachments_repo::mark_too_large(int64_t id, std::optional<int64_t> size) {
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET status = 'too_large', size = coalesce(?2, size), "
                           "error = NULL, updated_at = "} + now_sql + " WHERE id = ?1")
        .bind(1, id).bind(2, size).run();
    return changed_one("mark_too_large");
  });
}

status attachments_repo::mark_failed(int64_t id, std::string_view error_text) {
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET status = 'failed', error = ?2, "
                           "attempts = attempts + 1, updated_at = "} + now_sql + " WHERE id = ?1")
        .bind(1, id).bind(2, error_text).run();
    return changed_one("mark_failed");
  });
}

status attachments_repo::mark_deferred(int64_t id, std::string_view error_text) {
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET status = 'failed', error = ?2, updated_at = "} +
               now_sql + " WHERE id = ?1")
        .bind(1, id).bind(2, error_text).run();
    return changed_one("mark_deferred");
  });
}

result<std::optional<stored_file>> attachments_repo::find_by_sha(std::string_view sha256) {
  return detail::guarded([&]() -> result<std::optional<stored_file>> {
    auto st = c_.prepare("SELECT sha256, storage_path, coalesce(size, 0) FROM email_attachments "
                         "WHERE sha256 = ?1 AND status = 'stored' AND storage_path IS NOT NULL "
                         "ORDER BY id LIMIT 1");
    st.bind(1, sha256);
    if (!st.step()) return std::optional<stored_file>{};
    return std::optional<stored_file>{stored_file{st.text(0), st.text(1), st.int64(2)}};
  });
}

status attachments_repo::update_attachment_id(int64_t id, std::string_view new_id) {
  if (new_id.empty()) return error{"invalid", "update_attachment_id: empty attachment id"};
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET gmail_attachment_id = ?2, updated_at = "} + now_sql +
               " WHERE id = ?1")
        .bind(1, id).bind(2, new_id).run();
    return changed_one("update_attachment_id");
  });
}

status attachments_repo::update_source(int64_t id, int64_t account_id, std::string_view gmail_message_id,
                                       std::string_view attachment_id) {
  if (gmail_message_id.empty()) return error{"invalid", "update_source: empty message id"};
  return detail::guarded([&]() -> status {
    c_.prepare(std::string{"UPDATE email_attachments SET source_account_id = ?2, source_gmail_message_id = ?3, "
                           "gmail_attachment_id = ?4, updated_at = "} + now_sql + " WHERE id = ?1")
        .bind(1, id).bind(2, account_id).bind(3, gmail_message_id)
        .bind(4, attachment_id.empty() ? std::optional<std::string>{} : std::optional<std::string>{std::string{attachment_id}})
        .run();
    return changed_one("update_source");
  });
}

} // namespace gc::store

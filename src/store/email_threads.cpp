#include "store/email_threads.hpp"

#include <string>
#include <utility>

namespace gc::store::detail {
namespace {

// A message's time as ISO-8601 text: internalDate (epoch ms) when known, else sent_at.
constexpr const char* msg_time =
    "(CASE WHEN internal_date > 0 THEN strftime('%Y-%m-%dT%H:%M:%S', internal_date / 1000, "
    "'unixepoch') || printf('.%03dZ', internal_date % 1000) ELSE sent_at END)";

std::string quote_ident(const std::string& name) {
  std::string out = "\"";
  for (char ch : name) {
    out.push_back(ch);
    if (ch == '"') out.push_back('"');
  }
  return out + "\"";
}

// Every (table, column) whose foreign key points at email_threads: emails.thread_id,
// email_thread_keys.thread_id, and whatever later migrations add (proposals, ...).
std::vector<std::pair<std::string, std::string>> thread_references(connection& c) {
  auto st = c.prepare(
      "SELECT m.name, f.\"from\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
      "WHERE m.type = 'table' AND lower(f.\"table\") = 'email_threads' ORDER BY m.name, f.id");
  std::vector<std::pair<std::string, std::string>> out;
  while (st.step()) out.emplace_back(st.text(0), st.text(1));
  return out;
}

void merge_into(connection& c, int64_t target, const std::vector<int64_t>& others) {
  const auto refs = thread_references(c);
  for (int64_t other : others) {
    for (const auto& [table, column] : refs) {
      c.prepare("UPDATE " + quote_ident(table) + " SET " + quote_ident(column) + " = ?1 WHERE " +
                quote_ident(column) + " = ?2")
          .bind(1, target)
          .bind(2, other)
          .run();
    }
    c.prepare("DELETE FROM email_threads WHERE id = ?1").bind(1, other).run();
  }
}

} // namespace

int64_t resolve_thread(connection& c, const std::vector<core::thread_key>& keys,
                       std::optional<int64_t> current) {
  std::vector<int64_t> found;
  std::vector<bool> known(keys.size(), false);  // has a row already (a merge re-points it)
  if (current) found.push_back(*current);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto st = c.prepare("SELECT thread_id FROM email_thread_keys WHERE kind = ?1 AND key = ?2");
    st.bind(1, keys[i].kind).bind(2, keys[i].key);
    if (st.step()) {
      found.push_back(st.int64(0));
      known[i] = true;
    }
  }
  auto plan = core::plan_thread(std::move(found));
  int64_t target = 0;
  if (!plan.target) {
    c.prepare("INSERT INTO email_threads (message_count) VALUES (0)").run();
    target = c.last_insert_id();
  } else {
    target = *plan.target;
    if (!plan.merge.empty()) merge_into(c, target, plan.merge);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (known[i]) continue;
    c.prepare("INSERT INTO email_thread_keys (kind, key, thread_id) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (kind, key) DO NOTHING")
        .bind(1, keys[i].kind)
        .bind(2, keys[i].key)
        .bind(3, target)
        .run();
  }
  return target;
}

namespace {

// The earlier (or later) of two optional ISO-8601 texts.
std::optional<std::string> pick(std::optional<std::string> a, std::optional<std::string> b, bool earlier) {
  if (!a) return b;
  if (!b) return a;
  return (earlier ? *b < *a : *b > *a) ? b : a;
}

} // namespace

void refresh_thread(connection& c, int64_t thread_id) {
  // min/max of msg_time, without formatting every message's time: the extremes of
  // internalDate (formatted once each; the fixed-width text sorts as the numbers do) and of
  // sent_at where there is no internalDate, compared as text.
  auto stats = c.prepare(
      "SELECT n, CASE WHEN lo IS NOT NULL THEN strftime('%Y-%m-%dT%H:%M:%S', lo / 1000, 'unixepoch') "
      "|| printf('.%03dZ', lo % 1000) END, CASE WHEN hi IS NOT NULL THEN strftime('%Y-%m-%dT%H:%M:%S', "
      "hi / 1000, 'unixepoch') || printf('.%03dZ', hi % 1000) END, slo, shi FROM (SELECT count(*) AS n, "
      "min(CASE WHEN internal_date > 0 THEN internal_date END) AS lo, max(CASE WHEN internal_date > 0 "
      "THEN internal_date END) AS hi, min(CASE WHEN internal_date > 0 THEN NULL ELSE sent_at END) AS "
      "slo, max(CASE WHEN internal_date > 0 THEN NULL ELSE sent_at END) AS shi FROM emails WHERE "
      "thread_id = ?1)");
  stats.bind(1, thread_id);
  stats.step();
  const int64_t count = stats.int64(0);
  const auto first = pick(stats.opt_text(1), stats.opt_text(3), true);
  const auto last = pick(stats.opt_text(2), stats.opt_text(4), false);

  auto subj = c.prepare(std::string{"SELECT subject FROM emails WHERE thread_id = ?1 AND "
                                    "trim(coalesce(subject, '')) != '' ORDER BY "} +
                        msg_time + " IS NULL, " + msg_time + ", id LIMIT 1");
  subj.bind(1, thread_id);
  std::optional<std::string> subject;
  if (subj.step()) subject = core::normalize_subject(subj.text(0));

  c.prepare("UPDATE email_threads SET subject = ?2, first_message_at = ?3, last_message_at = ?4, "
            "message_count = ?5 WHERE id = ?1 AND (subject IS NOT ?2 OR first_message_at IS NOT "
            "?3 OR last_message_at IS NOT ?4 OR message_count IS NOT ?5)")
      .bind(1, thread_id)
      .bind(2, subject)
      .bind(3, first)
      .bind(4, last)
      .bind(5, count)
      .run();
}

} // namespace gc::store::detail

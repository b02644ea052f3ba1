#include "store/email_threads.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace gc::store::detail {
namespace {

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

// msg_time of a message with an internalDate, as SQLite's date functions format it (they give
// NULL past the year 9999).
std::optional<std::string> internal_time_text(int64_t ms) {
  if (ms >= 253402300800000) return std::nullopt;
  return core::iso8601_utc(core::sys_time{std::chrono::milliseconds{ms}});
}

// The earlier (or later) of two optional ISO-8601 texts.
std::optional<std::string> pick(std::optional<std::string> a, std::optional<std::string> b, bool earlier) {
  if (!a) return b;
  if (!b) return a;
  return (earlier ? *b < *a : *b > *a) ? b : a;
}

// The earliest message with a subject among those of one kind of time.
struct titled {
  int64_t id = 0;
  int64_t ms = 0;       // internalDate kind
  std::string time;     // Date-header kind, and the internalDate kind once formatted
  std::string subject;
};

bool earlier(int64_t id, const std::string& time, const titled& than) {
  return time < than.time || (time == than.time && id < than.id);
}

} // namespace

void refresh_thread(connection& c, int64_t thread_id) {
  // One read of the thread's messages, no time formatted per message. A message's time
  // (msg_time) is its internalDate as ISO-8601 text, else its Date header as stored, else none;
  // times compare as text, and the fixed-width internalDate text sorts as the numbers do, so
  // only the extremes of each kind are formatted. The subject is the earliest message's with
  // one (ties: the lower id; messages without a time last).
  auto st = c.prepare("SELECT id, internal_date, sent_at, trim(coalesce(subject, '')) != '', subject "
                      "FROM emails WHERE thread_id = ?1");
  st.bind(1, thread_id);
  int64_t count = 0;
  std::optional<int64_t> lo, hi;        // internalDate
  std::optional<std::string> slo, shi;  // Date header, of messages without an internalDate
  std::optional<titled> by_ms, by_text, untimed;
  while (st.step()) {
    ++count;
    const int64_t id = st.int64(0);
    const auto ms = st.opt_int64(1);
    const bool has_subject = st.int64(3) != 0;
    if (ms && *ms > 0) {
      if (!internal_time_text(*ms)) {
        if (has_subject && (!untimed || id < untimed->id)) untimed = titled{id, 0, {}, st.text(4)};
        continue;
      }
      lo = lo ? std::min(*lo, *ms) : *ms;
      hi = hi ? std::max(*hi, *ms) : *ms;
      if (has_subject && (!by_ms || *ms < by_ms->ms || (*ms == by_ms->ms && id < by_ms->id)))
        by_ms = titled{id, *ms, {}, st.text(4)};
    } else if (auto sent = st.opt_text(2)) {
      slo = pick(slo, sent, true);
      shi = pick(shi, sent, false);
      if (has_subject && (!by_text || earlier(id, *sent, *by_text))) by_text = titled{id, 0, *sent, st.text(4)};
    } else if (has_subject && (!untimed || id < untimed->id)) {
      untimed = titled{id, 0, {}, st.text(4)};
    }
  }
  const auto first = pick(lo ? internal_time_text(*lo) : std::nullopt, slo, true);
  const auto last = pick(hi ? internal_time_text(*hi) : std::nullopt, shi, false);
  if (by_ms) by_ms->time = *internal_time_text(by_ms->ms);
  const titled* choice = by_ms ? &*by_ms : nullptr;
  if (by_text && (!choice || earlier(by_text->id, by_text->time, *choice))) choice = &*by_text;
  if (!choice && untimed) choice = &*untimed;
  std::optional<std::string> subject;
  if (choice) subject = core::normalize_subject(choice->subject);

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

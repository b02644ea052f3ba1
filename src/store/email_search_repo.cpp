#include "store/email_search_repo.hpp"

#include "store/repo_util.hpp"

namespace gc::store {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Letters and digits of any script count: bytes >= 0x80 belong to UTF-8 sequences.
bool has_word_char(std::string_view w) {
  for (char ch : w) {
    auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z'))
      return true;
  }
  return false;
}

void append_person(std::string& out, const address_rec& a) {
  for (const auto* part : {&a.name, &a.email}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *part;
  }
}

std::string body_of(const email_rec& e) { return e.body_text ? *e.body_text : e.snippet; }

} // namespace

std::string fts_query(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    auto word = text.substr(start, i - start);
    if (word.empty() || !has_word_char(word)) continue;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char ch : word) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out;
}

result<std::vector<int64_t>> email_search_repo::search_ids(std::string_view query, int limit) {
  const auto q = fts_query(query);
  if (q.empty() || limit <= 0) return std::vector<int64_t>{};
  return detail::guarded([&]() -> result<std::vector<int64_t>> {
    auto st = c_.prepare("SELECT rowid FROM emails_fts WHERE emails_fts MATCH ?1 "
                         "ORDER BY rank, rowid DESC LIMIT ?2");
    st.bind(1, q).bind(2, limit);
    std::vector<int64_t> out;
    while (st.step()) out.push_back(st.int64(0));
    return out;
  });
}

namespace detail {

std::string participants_text(const email_rec& e) {
  std::string out;
  append_person(out, e.from);
  for (const auto& a : e.to) append_person(out, a);
  for (const auto& a : e.cc) append_person(out, a);
  return out;
}

void index_email(connection& c, int64_t email_id, const email_rec& e) {
  c.prepare("DELETE FROM emails_fts WHERE rowid = ?1").bind(1, email_id).run();
  std::string from;
  append_person(from, e.from);
  c.prepare("INSERT INTO emails_fts (rowid, subject, participants, body, from_addr) "
            "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, email_id)
      .bind(2, e.subject)
      .bind(3, participants_text(e))
      .bind(4, body_of(e))
      .bind(5, from)
      .run();
}

void index_body(connection& c, int64_t email_id, const std::string& body) {
  c.prepare("UPDATE emails_fts SET body = ?2 WHERE rowid = ?1")
      .bind(1, email_id)
      .bind(2, body)
      .run();
}

} // namespace detail
} // namespace gc::store

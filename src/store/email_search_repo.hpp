#pragma once
// Full-text search over captured email: the FTS5 table emails_fts(subject, participants, body,
// from_addr), rowid = emails.id (migration 0003). email_repo keeps it in step with emails in
// the same transaction: a row when an email is created, the body column replaced when a
// metadata-only email receives its body (until then the body column holds the snippet).
#include "core/result.hpp"
#include "store/db.hpp"
#include "store/email_records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

// Free text -> an FTS5 query that cannot be a syntax error: each whitespace-separated word
// becomes a quoted phrase ("alice@fund.vc" matches the address tokens in order), all words
// must match. Words without a letter or digit are dropped; "" when nothing is left.
std::string fts_query(std::string_view text);

// Errors: "sqlite".
class email_search_repo {
public:
  explicit email_search_repo(connection& c) : c_{c} {}

  // emails.id of the best matches (bm25 rank, then newest id first), at most `limit`.
  // An empty query finds nothing. Liveness (sightings) and other filters are the caller's.
  result<std::vector<int64_t>> search_ids(std::string_view query, int limit = 50);

private:
  connection& c_;
};

namespace detail {

// "name email" of from, to and cc, space separated (what the participants column holds).
std::string participants_text(const email_rec& e);

// Inserts (or replaces) the index row of a new email. Throws db_error.
void index_email(connection& c, int64_t email_id, const email_rec& e);

// Replaces the body column once the email has a body. Throws db_error.
void index_body(connection& c, int64_t email_id, const std::string& body);

} // namespace detail
} // namespace gc::store

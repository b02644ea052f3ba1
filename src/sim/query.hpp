#pragma once
// The subset of Gmail search syntax (`q`) the simulator understands. Terms are separated by
// spaces and ANDed; a leading '-' negates. Supported:
//   after:/newer:  before:/older:   epoch seconds, YYYY/MM/DD or YYYY-MM-DD (UTC midnight);
//                                   after is inclusive, before exclusive (like Gmail's dates)
//   rfc822msgid:<id>                with or without angle brackets
//   in:inbox|sent|draft|drafts|spam|trash|chats|chat|starred|unread|important|anywhere
//   is:unread|read|starred|important|draft|chat|sent   label:<ID or name>
//   category:primary|social|promotions|updates|forums
// Anything else (free text, from:, OR, braces, newer_than:) is rejected with
// invalid_argument "Unsupported search term: …" so that a client relying on it fails loudly
// instead of silently getting wrong results. A positive in:spam/in:trash/label:SPAM|TRASH or
// in:anywhere shows SPAM/TRASH even without includeSpamTrash (as Gmail does).
#include "core/result.hpp"
#include "sim/mailbox.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gc::sim {

struct mail_query {
  std::optional<int64_t> after_ms, before_ms;     // after inclusive, before exclusive
  std::vector<std::string> msgids;                // each must match (normally one)
  std::vector<std::string> not_msgids;
  std::vector<label_set> all_of;                  // each group: message has one of its bits
  label_set none_of = 0;
  bool shows_spam_trash = false;

  // `message_id` is read only when the query has rfc822msgid terms (see uses_message_id).
  bool matches(const sim_message& m, const std::string& message_id) const;
  bool uses_message_id() const { return !msgids.empty() || !not_msgids.empty(); }
};

gc::result<mail_query> parse_query(const std::string& q);

} // namespace gc::sim

#pragma once
// Dedup keys and thread resolution, pure logic (no SQL, no I/O). The store applies it:
// store/email_threads.cpp looks the keys up in email_threads / email_thread_keys.
//
// A message belongs to the thread of any of its keys:
//   gmail  "<account_id>:<gmail_thread_id>"   (Gmail's own threading, per mailbox)
//   msgid  the normalized Message-ID of the message, of In-Reply-To and of every References id
// No key known -> a new thread; keys of several threads -> those threads are merged into the
// one with the smallest id (plan_thread).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::core {

// A Message-ID in comparable form: angle brackets, surrounding and folding whitespace removed,
// ASCII lower-cased ("<AbC@Host.example>" -> "abc@host.example"). nullopt when malformed: empty,
// no '@' with text on both sides, '<' '>' or whitespace inside, longer than 998 characters.
// This is THE normalization of emails.dedup_key; the syncer must use it (or dedup_key below).
std::optional<std::string> normalize_message_id(std::string_view raw);

// Every msg-id of a References / In-Reply-To value ("<a@x> <b@y>", or bare ids separated by
// whitespace or commas), normalized, in order, duplicates and malformed ids dropped.
std::vector<std::string> parse_message_id_list(std::string_view header);

// Header fields that are identical in every mailbox's copy of one email (no labels, no
// internalDate, no body: a metadata-only copy must hash like a full one).
struct dedup_fields {
  std::string from_email;
  std::vector<std::string> to, cc;   // addresses
  std::string subject;
  std::string date;                  // the Date header (raw or normalized, consistently)
};

// "sha256:<64 hex>" over a canonical form of the fields (addresses trimmed and lower-cased,
// to/cc sorted, subject trimmed).
std::string fallback_dedup_key(const dedup_fields& f);

// emails.dedup_key: the normalized Message-ID when it is well-formed, else fallback_dedup_key.
std::string dedup_key(const std::optional<std::string>& message_id_header, const dedup_fields& f);

// The subject without reply/forward prefixes, repeated or counted ("Re: Fwd: RE[2]: AW: x" ->
// "x"; Re, Fw, Fwd, Aw, Wg, Sv, Vs, Antw, Tr, Rif; any case), trimmed.
std::string normalize_subject(std::string_view subject);

struct thread_key {
  std::string kind;  // "gmail" | "msgid"
  std::string key;
  bool operator==(const thread_key&) const = default;
};

// "<account_id>:<gmail_thread_id>".
std::string gmail_thread_key(int64_t account_id, std::string_view gmail_thread_id);

// The keys of one message, without duplicates: the gmail key (when gmail_thread_id is not
// empty), then the msgid keys of message_id, in_reply_to (may hold several ids) and each
// references entry, malformed ids dropped.
std::vector<thread_key> thread_keys(int64_t account_id, std::string_view gmail_thread_id,
                                    const std::optional<std::string>& message_id,
                                    const std::optional<std::string>& in_reply_to,
                                    const std::vector<std::string>& references);

// What to do with the threads the keys (and the email's current thread) point to.
struct thread_plan {
  std::optional<int64_t> target;  // nullopt: create a new thread
  std::vector<int64_t> merge;     // threads to fold into target, ascending, without target
};
thread_plan plan_thread(std::vector<int64_t> found);

} // namespace gc::core

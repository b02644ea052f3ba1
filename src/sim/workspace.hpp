#pragma once
// The simulated Google Workspace: a domain, its mailboxes and the mail in them. Thread-safe:
// every public method takes the internal mutex, so HTTP workers may call it concurrently.
// Users are mailbox addresses (resolve "me" before calling). Errors: gc::error with code
// "not_found" (-> 404 notFound "Requested entity was not found."), "invalid_argument" (-> 400
// invalidArgument, message says which parameter), "failed_precondition" (unknown mailbox).
#include "core/json.hpp"
#include "core/result.hpp"
#include "sim/mailbox.hpp"

#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace gc::sim {

class mail_store;
class mail_generator;

struct workspace_spec {
  int mailboxes = 5;              // team mailboxes (1..12)
  int messages = 400;             // distinct RFC 822 messages (a message CC'd internally
                                  // lands in several mailboxes, so mailbox entries > messages)
  uint64_t seed = 42;
  std::string domain = "fund.example";
  int64_t anchor_ms = 0;          // newest generated mail is near this; 0 = 2025-01-01T00:00Z
  // "demo" or "mailboxes=5,messages=100000,seed=7[,domain=x][,anchor_ms=N]".
  static gc::result<workspace_spec> parse(const std::string& text);
};

struct list_params {
  std::vector<std::string> label_ids;   // AND
  std::string q;                        // see query.hpp for the supported subset
  bool include_spam_trash = false;
  std::string page_token;
  std::optional<int64_t> max_results;   // default 100; >500 -> clamped to 500 (see docs)
};

enum class msg_format { minimal, metadata, full, raw };
gc::result<msg_format> parse_format(const std::string& s);   // "" -> full

struct get_params {
  msg_format format = msg_format::full;
  std::vector<std::string> metadata_headers;   // only with metadata; case-insensitive
};

// Records strictly after startHistoryId, ascending. A generated workspace keeps 7 days of
// history (before that: not_found); loaded mail keeps all. labelId keeps records whose changed
// labels or whose message's labels include it.
struct history_params {
  std::optional<std::string> start_history_id;  // required; decimal uint64 > 0
  std::vector<std::string> history_types;       // messageAdded|messageDeleted|labelAdded|labelRemoved
  std::string label_id;
  std::string page_token;
  std::optional<int64_t> max_results;           // default 100, clamped to 500
};

struct live_stats { int added = 0, deleted = 0, relabelled = 0; };

class workspace {
public:
  static std::unique_ptr<workspace> generate(const workspace_spec& spec);
  // Real mail into one mailbox `mailbox` (an address; its domain becomes the workspace domain).
  static gc::result<std::unique_ptr<workspace>> from_eml_dir(const std::string& dir,
                                                             const std::string& mailbox);
  static gc::result<std::unique_ptr<workspace>> from_mbox(const std::string& file,
                                                          const std::string& mailbox);
  ~workspace();

  std::string domain() const;
  std::vector<std::string> mailboxes() const;
  bool has_mailbox(const std::string& user) const;     // case-insensitive

  gc::result<json> profile(const std::string& user) const;
  gc::result<json> list_messages(const std::string& user, const list_params& p) const;
  gc::result<json> get_message(const std::string& user, const std::string& id,
                               const get_params& p) const;
  gc::result<json> get_thread(const std::string& user, const std::string& id,
                              const get_params& p) const;   // raw -> invalid_argument
  gc::result<json> get_attachment(const std::string& user, const std::string& message_id,
                                  const std::string& attachment_id) const;
  gc::result<json> list_history(const std::string& user, const history_params& p) const;
  uint64_t current_history_id(const std::string& user) const;   // 0 if unknown user

  // Writes (drafts.create / drafts.update / messages.send). `raw` is RFC 822 bytes (already
  // base64url-decoded). `thread_id` is honoured only when In-Reply-To/References name a
  // message of that thread and the subject matches (Gmail's rule); otherwise a new thread.
  // Results: {"id":"r…","message":{id,threadId,labelIds}} and {id,threadId,labelIds}.
  gc::result<json> create_draft(const std::string& user, const std::string& raw,
                                const std::string& thread_id);
  gc::result<json> update_draft(const std::string& user, const std::string& draft_id,
                                const std::string& raw, const std::string& thread_id);
  // Sender copy gets SENT; internal recipients (To/Cc/Bcc in our domain) get INBOX+UNREAD.
  gc::result<json> send_message(const std::string& user, const std::string& raw,
                                const std::string& thread_id);

  // Live mail: new mail (cross-mailbox when internal CC), one permanent delete, label
  // changes (UNREAD/STARRED/TRASH/SPAM/INBOX). Deterministic for a given rng state.
  live_stats tick_live(std::mt19937_64& rng);
  // Test/fault hooks.
  gc::status delete_message(const std::string& user, const std::string& id);
  gc::status modify_labels(const std::string& user, const std::string& id,
                           const std::vector<std::string>& add,
                           const std::vector<std::string>& remove);
  void expire_history(const std::string& user);            // every id <= current now 404s
  void set_history_horizon(const std::string& user, uint64_t min_valid_history_id);
  void set_empty_history_pages(bool on);                   // first page empty + nextPageToken
  void set_large_body_threshold(size_t bytes);             // text parts above -> attachmentId

  // Called after every change with (mailbox, new historyId), outside the lock (Pub/Sub).
  void set_change_listener(std::function<void(const std::string&, uint64_t)> fn);

  // Ground truth as JSON lines (format in truth.hpp): every message copy per mailbox with its
  // Gmail id, Message-ID (or null), labels, capture/softDeleted flags, attachments' sha256.
  void write_truth(std::ostream& out) const;
  json crm_seed() const;   // {"team":[…],"investors":[{name,domain,contacts:[…]}],"contacts":[…]}

  struct impl;   // internal (workspace_impl.hpp)

private:
  workspace();
  std::unique_ptr<impl> impl_;
  mutable std::mutex mu_;
};

} // namespace gc::sim

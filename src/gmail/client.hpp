#pragma once
// Typed asynchronous Gmail v1 calls (gmail-api.md §2, §4). Every call takes a token from the
// auth_provider, sends it as a Bearer header, and on a 401 invalidates that token and retries
// ONCE; a second 401 is an `auth` error. Nothing else is retried and nothing is paced: callers
// (rate_limiter, syncers) own retries and quota, and charge `cost(method)` per call (each inner
// call of a batch counts). Callbacks run once, on the HTTP client's I/O thread unless an
// executor is set, and must not block.
#include "core/quota_costs.hpp"
#include "gmail/auth_provider.hpp"
#include "gmail/types.hpp"
#include "net/http_client.hpp"

#include <memory>

namespace gc::gmail {

struct client_options {
  std::string api_base = "https://gmail.googleapis.com";   // CRM_GMAIL_API_BASE
  std::string batch_path = "/batch/gmail/v1";
  scope_set scopes = scopes::capture;                        // asked of the auth provider
  core::quota_table costs = core::quota_table::y2026;        // CRM_GMAIL_QUOTA_COSTS
  std::chrono::milliseconds timeout{60000};
  std::size_t max_batch = 100;                               // Google's documented cap
  // Runs response parsing and the caller's callback; default: inline on the I/O thread.
  std::function<void(std::function<void()>)> executor;
};

struct list_messages_params {          // users.messages.list
  std::string q;                       // Gmail search syntax, e.g. "after:1700000000 -in:chats"
  std::vector<std::string> label_ids;  // AND
  bool include_spam_trash = false;
  std::string page_token;
  std::optional<int> max_results;      // default 100, max 500
};

enum class message_format { minimal, metadata, full, raw };
const char* to_string(message_format f);

struct get_message_params {            // users.messages.get / users.threads.get (no raw)
  message_format format = message_format::full;
  std::vector<std::string> metadata_headers;   // only with metadata
};

struct list_history_params {           // users.history.list
  uint64_t start_history_id = 0;
  std::vector<std::string> history_types;      // messageAdded|messageDeleted|labelAdded|labelRemoved
  std::string label_id;
  std::string page_token;
  std::optional<int> max_results;
};

// One inner GET of a batch: a path-only target built with the *_target helpers below.
struct batch_call {
  core::gmail_method method = core::gmail_method::messages_get;
  std::string target;
};

// One inner answer, in request order. `error` is set (classified) unless status is 2xx; a part
// missing from Google's answer is a retryable error with status 0 and reason "batch_missing".
struct batch_reply {
  unsigned status = 0;
  std::string body;
  std::optional<api_error> error;
};

class client {
public:
  template <class T>
  using callback = std::function<void(outcome<T>)>;

  // `http` must outlive every call; the provider is shared.
  client(net::http_client& http, std::shared_ptr<auth_provider> auth, client_options opts = {});

  void get_profile(const std::string& mailbox, callback<profile> done);                       // getProfile
  void list_messages(const std::string& mailbox, const list_messages_params& p,
                     callback<message_list> done);                                             // messages.list
  void get_message(const std::string& mailbox, const std::string& id, const get_message_params& p,
                   callback<message> done);                                                    // messages.get
  void get_thread(const std::string& mailbox, const std::string& id, const get_message_params& p,
                  callback<thread> done);                                                      // threads.get
  void get_attachment(const std::string& mailbox, const std::string& message_id,
                      const std::string& attachment_id, callback<message_part_body> done);     // attachments.get
  // A 404 here is error_kind::history_expired.
  void list_history(const std::string& mailbox, const list_history_params& p,
                    callback<history_list> done);                                              // history.list
  // Any GET target (path + query under api_base), answered as JSON. `method` only tells
  // whether a 404 means history_expired.
  void get_json(const std::string& mailbox, core::gmail_method method, const std::string& target,
                callback<json> done);

  // Up to max_batch inner GETs in one request; replies in request order, matched by
  // Content-ID. The outer call fails as a whole on a non-200 (e.g. 400 "Inner request count
  // exceeds the limit") or an unreadable multipart answer.
  void batch(const std::string& mailbox, std::vector<batch_call> calls, callback<std::vector<batch_reply>> done);
  // messages.get for each id via batch; each entry parsed or classified on its own.
  void batch_get_messages(const std::string& mailbox, const std::vector<std::string>& ids,
                          const get_message_params& p, callback<std::vector<outcome<message>>> done);

  // Quota units of one call under the configured table, and of a batch (sum of inner calls).
  int cost(core::gmail_method m) const { return core::quota_cost(opts_.costs, m); }
  int cost(const std::vector<batch_call>& calls) const;

  // Path + query targets ("/gmail/v1/users/<mailbox>/messages/<id>?format=full").
  static std::string profile_target(const std::string& mailbox);
  static std::string messages_list_target(const std::string& mailbox, const list_messages_params& p);
  static std::string message_target(const std::string& mailbox, const std::string& id, const get_message_params& p);
  static std::string thread_target(const std::string& mailbox, const std::string& id, const get_message_params& p);
  static std::string attachment_target(const std::string& mailbox, const std::string& message_id,
                                       const std::string& attachment_id);
  static std::string history_target(const std::string& mailbox, const list_history_params& p);

  const client_options& options() const { return opts_; }

  struct impl;

private:
  client_options opts_;
  std::shared_ptr<impl> impl_;
};

} // namespace gc::gmail

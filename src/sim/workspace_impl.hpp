#pragma once
// Internal state of gc::sim::workspace, shared by the workspace_*.cpp files. Every function
// here expects the workspace mutex to be held.
#include "sim/mail_gen.hpp"
#include "sim/mail_source.hpp"
#include "sim/mailbox.hpp"
#include "sim/workspace.hpp"

#include <atomic>
#include <map>
#include <memory>

namespace gc::sim {

struct workspace::impl {
  std::string domain;
  uint64_t seed = 0;
  std::vector<std::unique_ptr<mailbox>> boxes;   // in mailbox order
  std::map<std::string, size_t> index;            // lower-case address -> boxes[i]
  std::unique_ptr<mail_generator> gen;            // null for loaded mail
  mail_store store;
  bool empty_history_pages = false;
  size_t large_threshold = 0;
  int64_t clock_ms = 0;                           // newest internalDate handed out
  uint64_t draft_counter = 0;
  std::atomic<uint64_t> fetches{0};
  std::map<std::pair<size_t, std::string>, uint64_t> drafts;   // (box, draft id) -> message id
  std::function<void(const std::string&, uint64_t)> listener;
  std::vector<std::pair<std::string, uint64_t>> pending;        // notifications to send

  mailbox* box(const std::string& user) const;
  size_t box_index(const std::string& user) const;
  mailbox& add_box(const std::string& address);
  void touched(const mailbox& b) { pending.emplace_back(b.address(), b.history_id()); }

  // Places generated mail `g` (store entry `mail`) into every team mailbox it concerns, with
  // plausible labels. `live`: new mail (UNREAD). Label choices use `label_seed`.
  void place_generated(uint32_t g, uint32_t mail, bool live);
  // Adds a raw message to box `b`; thread by explicit id (if the Gmail rule allows), by a
  // generator key, or by References + subject. Returns the new message.
  const sim_message& add_raw_copy(mailbox& b, uint32_t mail, label_set labels,
                                  const std::string& requested_thread, int64_t date_ms,
                                  uint64_t thread_key = 0);
  bool thread_matches(const mailbox& b, uint64_t tid, const std::vector<std::string>& refs,
                      const std::string& subject) const;
  size_t horizon_days = 7;                        // initial history retention
  int64_t next_clock();

  std::string attachment_id(uint64_t msg, const std::string& part_id);
  static std::optional<std::pair<uint64_t, std::string>> decode_attachment_id(const std::string& a);
  // Changes made under the lock, reported to the listener after unlocking.
  std::vector<std::pair<std::string, uint64_t>> take_pending() { return std::exchange(pending, {}); }

  static std::unique_ptr<workspace> make() { return std::unique_ptr<workspace>(new workspace()); }
  static gc::result<std::unique_ptr<workspace>> load(std::vector<std::string> raws,
                                                     const std::string& mailbox);
};

// Calls `fn` once per mailbox with its newest historyId (outside any lock).
inline void notify(const std::function<void(const std::string&, uint64_t)>& fn,
                   const std::vector<std::pair<std::string, uint64_t>>& notes) {
  if (!fn) return;
  std::map<std::string, uint64_t> last;
  for (auto& [u, h] : notes) last[u] = std::max(last[u], h);
  for (auto& [u, h] : last) fn(u, h);
}

} // namespace gc::sim

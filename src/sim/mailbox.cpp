#include "sim/mailbox.hpp"

#include <algorithm>
#include <cstdio>

namespace gc::sim {
namespace {

constexpr const char* label_names[] = {
    "INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CHAT",
    "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES",
    "CATEGORY_FORUMS"};
constexpr const char* history_names[] = {"messageAdded", "messageDeleted", "labelAdded", "labelRemoved"};

gc::error bad(std::string what) { return gc::error{"invalid_argument", std::move(what)}; }

} // namespace

std::vector<std::string> label_ids(label_set s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < std::size(label_names); ++i)
    if (s & (1ull << i)) out.emplace_back(label_names[i]);
  return out;
}

std::optional<label_set> label_from_id(std::string_view id) {
  for (size_t i = 0; i < std::size(label_names); ++i)
    if (id == label_names[i]) return 1ull << i;
  return std::nullopt;
}

std::string format_id(uint64_t id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

std::optional<uint64_t> parse_id(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::optional<history_type> history_type_from_name(std::string_view n) {
  for (size_t i = 0; i < std::size(history_names); ++i)
    if (n == history_names[i]) return history_type(i);
  return std::nullopt;
}

mailbox::mailbox(std::string address, uint64_t seed) : address_(std::move(address)), rng_(seed) {
  history_id_ = 1000 + rng_() % 900000;
  horizon_ = history_id_;
}

uint64_t mailbox::next_history_id() {
  history_id_ += 1 + rng_() % 37;   // increasing, with random gaps like Gmail's
  return history_id_;
}

uint64_t mailbox::new_message_id(int64_t internal_date_ms, uint64_t random_bits) {
  uint64_t id = (uint64_t(internal_date_ms) << 20) | (random_bits & 0xFFFFF);
  while (used_ids_.count(id)) ++id;
  used_ids_.insert(id);
  return id;
}

const sim_message& mailbox::add(uint64_t id, uint64_t thread_id, int64_t date, label_set labels,
                                uint32_t mail) {
  used_ids_.insert(id);
  auto hid = next_history_id();
  auto& m = messages_[id];
  m = sim_message{id, thread_id, hid, date, labels, mail};
  order_[{date, id}] = id;
  threads_[thread_id].push_back(id);
  log_.push_back({hid, history_type::message_added, id, thread_id, 0, labels});
  return m;
}

bool mailbox::remove(uint64_t id) {
  auto it = messages_.find(id);
  if (it == messages_.end()) return false;
  auto m = it->second;
  log_.push_back({next_history_id(), history_type::message_deleted, id, m.thread_id, 0, m.labels});
  order_.erase({m.internal_date_ms, id});
  auto& members = threads_[m.thread_id];
  members.erase(std::remove(members.begin(), members.end(), id), members.end());
  if (members.empty()) threads_.erase(m.thread_id);
  messages_.erase(it);
  return true;
}

bool mailbox::change_labels(uint64_t id, label_set add, label_set rem) {
  auto it = messages_.find(id);
  if (it == messages_.end()) return false;
  auto& m = it->second;
  label_set added = add & ~m.labels, removed = rem & m.labels & ~add;
  if (added) {
    m.labels |= added;
    m.history_id = next_history_id();
    log_.push_back({m.history_id, history_type::label_added, id, m.thread_id, added, m.labels});
  }
  if (removed) {
    m.labels &= ~removed;
    m.history_id = next_history_id();
    log_.push_back({m.history_id, history_type::label_removed, id, m.thread_id, removed, m.labels});
  }
  return true;
}

const sim_message* mailbox::find(uint64_t id) const {
  auto it = messages_.find(id);
  return it == messages_.end() ? nullptr : &it->second;
}

std::vector<const sim_message*> mailbox::thread(uint64_t thread_id) const {
  std::vector<const sim_message*> out;
  auto it = threads_.find(thread_id);
  if (it == threads_.end()) return out;
  for (auto id : it->second) out.push_back(&messages_.at(id));
  std::sort(out.begin(), out.end(), [](auto a, auto b) {
    return std::pair(a->internal_date_ms, a->id) < std::pair(b->internal_date_ms, b->id);
  });
  return out;
}

std::vector<const sim_message*> mailbox::all() const { return recent(messages_.size()); }

std::vector<const sim_message*> mailbox::recent(size_t n) const {
  std::vector<const sim_message*> out;
  for (auto it = order_.rbegin(); it != order_.rend() && out.size() < n; ++it)
    out.push_back(&messages_.at(it->second));
  return out;
}

size_t mailbox::threads_total() const { return threads_.size(); }

std::optional<uint64_t> mailbox::thread_for_key(uint64_t key) const {
  auto it = key_thread_.find(key);
  if (it == key_thread_.end() || !threads_.count(it->second)) return std::nullopt;
  return it->second;
}

std::optional<uint64_t> mailbox::thread_for_message_id(const std::string& msgid) const {
  auto it = msgid_thread_.find(msgid);
  if (it == msgid_thread_.end() || !threads_.count(it->second)) return std::nullopt;
  return it->second;
}

void mailbox::bind_message_id(const std::string& msgid, uint64_t thread_id) {
  if (!msgid.empty()) msgid_thread_.emplace(msgid, thread_id);
}

gc::result<list_page> mailbox::list(const std::function<bool(const sim_message&)>& keep,
                                    const std::string& filter_key, const std::string& token,
                                    size_t max) const {
  list_page page;
  auto it = order_.rbegin();
  if (!token.empty()) {   // token = hex(internalDate) + hex(id) of the last item returned
    auto d = token.size() == 32 ? parse_id(token.substr(0, 16)) : std::nullopt;
    auto i = token.size() == 32 ? parse_id(token.substr(16)) : std::nullopt;
    if (!d || !i) return bad("Invalid pageToken");
    it = std::make_reverse_iterator(order_.lower_bound({int64_t(*d), *i}));
  }
  // The exact count: a walk of the messages themselves, once per filter while nothing changes.
  if (counted_at_ != history_id_ || counts_.size() > 64) {
    counts_.clear();
    counted_at_ = history_id_;
  }
  auto [known, fresh] = counts_.try_emplace(filter_key, 0);
  if (fresh)
    for (const auto& [id, m] : messages_)
      if (keep(m)) ++known->second;
  page.result_size_estimate = known->second;
  for (; it != order_.rend(); ++it) {
    auto& m = messages_.at(it->second);
    if (!keep(m)) continue;
    if (page.messages.size() == max) {
      auto& last = *page.messages.back();
      page.next_page_token = format_id(uint64_t(last.internal_date_ms)) + format_id(last.id);
      break;
    }
    page.messages.push_back(&m);
  }
  return page;
}

gc::result<history_page> mailbox::history(const history_query& q) const {
  if (q.start_history_id < horizon_) return gc::error{"not_found", "Requested entity was not found."};
  history_page page;
  page.history_id = history_id_;
  uint64_t from = q.start_history_id + 1;   // records strictly after startHistoryId
  if (!q.page_token.empty()) {
    auto t = parse_id(q.page_token);
    if (!t || q.page_token.size() != 16) return bad("Invalid pageToken");
    if (*t < horizon_) return gc::error{"not_found", "Requested entity was not found."};
    from = *t;
  }
  auto it = std::lower_bound(log_.begin(), log_.end(), from,
                             [](const history_record& r, uint64_t v) { return r.id < v; });
  auto matches = [&](const history_record& r) {
    if (q.types && !(q.types & (1u << unsigned(r.type)))) return false;
    if (q.label && !((r.changed | r.after) & *q.label)) return false;
    return true;
  };
  if (q.page_token.empty() && q.empty_first_page) {
    auto first = std::find_if(it, log_.end(), matches);
    if (first != log_.end()) page.next_page_token = format_id(first->id);
    return page;
  }
  for (; it != log_.end(); ++it) {
    if (!matches(*it)) continue;
    if (page.records.size() == q.max_results) {
      page.next_page_token = format_id(it->id);
      break;
    }
    page.records.push_back(&*it);
  }
  return page;
}

} // namespace gc::sim

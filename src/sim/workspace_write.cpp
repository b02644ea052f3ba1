// Writes: drafts.create/update, messages.send, and the test hooks delete/modify.
#include "sim/workspace.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"
#include "sim/workspace_impl.hpp"

#include <set>

namespace gc::sim {
namespace {

const gc::error not_found{"not_found", "Requested entity was not found."};

gc::error no_user(const std::string& u) { return {"failed_precondition", "Unknown mailbox " + u}; }

// CRLF line ends; adds Message-ID and Date when the client left them out (as Gmail does).
gc::result<std::string> prepare(const std::string& raw, uint64_t nonce, int64_t date_ms) {
  std::string t = to_crlf(raw);
  auto head_end = t.find("\r\n\r\n");
  std::string_view head = std::string_view(t).substr(0, head_end);
  auto first_colon = head.find(':'), first_eol = head.find("\r\n");
  if (head.empty() || first_colon == std::string_view::npos || first_colon > first_eol)
    return gc::error{"invalid_argument", "Invalid raw message: no RFC 822 header"};
  if (head_end == std::string::npos) t += t.size() >= 2 && t.compare(t.size() - 2, 2, "\r\n") == 0 ? "\r\n" : "\r\n\r\n";
  auto top = parse_message(std::string_view(t).substr(0, t.find("\r\n\r\n")));
  std::string extra;
  if (!top.header("Message-ID")) {
    std::string n(reinterpret_cast<const char*>(&nonce), 8);
    extra += "Message-ID: <CA" + core::base64url_encode(n + std::to_string(date_ms)) + "@mail.gmail.com>\r\n";
  }
  if (!top.header("Date")) extra += "Date: " + gen::rfc822_date(date_ms, 0) + "\r\n";
  return extra + t;
}

std::string strip_header(const std::string& raw, std::string_view name) {
  auto head_end = raw.find("\r\n\r\n");
  std::string out;
  bool skipping = false;
  size_t i = 0;
  while (i < head_end) {
    auto eol = raw.find("\r\n", i);
    std::string_view line = std::string_view(raw).substr(i, eol - i);
    bool cont = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (!cont) skipping = line.size() > name.size() && line[name.size()] == ':' && iequals(line.substr(0, name.size()), name);
    if (!skipping) out.append(line).append("\r\n");
    i = eol + 2;
  }
  return out + raw.substr(head_end + 2);
}

json draft_json(const std::string& did, const sim_message& m) {
  return {{"id", did},
          {"message", {{"id", format_id(m.id)}, {"threadId", format_id(m.thread_id)}, {"labelIds", label_ids(m.labels)}}}};
}

} // namespace

gc::result<json> workspace::create_draft(const std::string& user, const std::string& raw,
                                         const std::string& thread_id) {
  json out;
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto& I = *impl_;
    auto b = I.box(user);
    if (!b) return no_user(user);
    int64_t date = I.next_clock();
    auto text = prepare(raw, gen::mix(I.seed, ++I.draft_counter), date);
    if (!text) return text.error();
    auto& m = I.add_raw_copy(*b, I.store.add_raw(std::move(*text)), lbl::draft, thread_id, date);
    uint64_t n = gen::mix(I.seed ^ 0xD7AF7ull, I.draft_counter);
    std::string did = "r" + std::string(n & 1 ? "-" : "") + std::to_string(n >> 2);
    I.drafts[{I.box_index(user), did}] = m.id;
    out = draft_json(did, m);
    notes = I.take_pending();
    fn = I.listener;
  }
  notify(fn, notes);
  return out;
}

gc::result<json> workspace::update_draft(const std::string& user, const std::string& draft_id,
                                         const std::string& raw, const std::string& thread_id) {
  json out;
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto& I = *impl_;
    auto b = I.box(user);
    if (!b) return no_user(user);
    auto it = I.drafts.find({I.box_index(user), draft_id});
    if (it == I.drafts.end()) return not_found;
    int64_t date = I.next_clock();
    auto text = prepare(raw, gen::mix(I.seed, ++I.draft_counter), date);
    if (!text) return text.error();
    std::string thread = thread_id;
    if (auto old = b->find(it->second)) {
      if (thread.empty()) thread = format_id(old->thread_id);
      b->remove(it->second);   // Gmail replaces the draft's message (new id)
    }
    auto& m = I.add_raw_copy(*b, I.store.add_raw(std::move(*text)), lbl::draft, thread, date);
    it->second = m.id;
    out = draft_json(draft_id, m);
    notes = I.take_pending();
    fn = I.listener;
  }
  notify(fn, notes);
  return out;
}

gc::result<json> workspace::send_message(const std::string& user, const std::string& raw,
                                         const std::string& thread_id) {
  json out;
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto& I = *impl_;
    auto b = I.box(user);
    if (!b) return no_user(user);
    int64_t date = I.next_clock();
    auto text = prepare(raw, gen::mix(I.seed, ++I.draft_counter), date);
    if (!text) return text.error();
    auto top = parse_message(std::string_view(*text).substr(0, text->find("\r\n\r\n")));
    std::set<std::string> rcpts;
    for (auto h : {"To", "Cc", "Bcc"})
      for (auto& a : address_list(top.header_or(h))) rcpts.insert(a);
    if (rcpts.empty()) return gc::error{"invalid_argument", "Recipient address required"};
    bool has_bcc = top.header("Bcc") != nullptr;
    std::string delivered = has_bcc ? strip_header(*text, "Bcc") : std::string();
    uint32_t mail = I.store.add_raw(std::move(*text));
    label_set own = lbl::sent | (rcpts.count(b->address()) ? lbl::inbox | lbl::unread : 0);
    auto& m = I.add_raw_copy(*b, mail, own, thread_id, date);
    out = {{"id", format_id(m.id)}, {"threadId", format_id(m.thread_id)}, {"labelIds", label_ids(m.labels)}};
    uint32_t copy_mail = mail;
    if (has_bcc) copy_mail = I.store.add_raw(std::move(delivered));
    for (auto& r : rcpts) {
      auto rb = I.box(r);
      if (!rb || rb == b) continue;
      I.add_raw_copy(*rb, copy_mail, lbl::inbox | lbl::unread, "", date);
    }
    notes = I.take_pending();
    fn = I.listener;
  }
  notify(fn, notes);
  return out;
}

gc::status workspace::delete_message(const std::string& user, const std::string& id) {
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto b = impl_->box(user);
    if (!b) return no_user(user);
    auto mid = parse_id(id);
    if (!mid || !b->remove(*mid)) return not_found;
    impl_->touched(*b);
    notes = impl_->take_pending();
    fn = impl_->listener;
  }
  notify(fn, notes);
  return gc::ok_v;
}

gc::status workspace::modify_labels(const std::string& user, const std::string& id,
                                    const std::vector<std::string>& add,
                                    const std::vector<std::string>& remove) {
  label_set a = 0, r = 0;
  for (auto& l : add) {
    auto x = label_from_id(l);
    if (!x) return gc::error{"invalid_argument", "Invalid label: " + l};
    a |= *x;
  }
  for (auto& l : remove) {
    auto x = label_from_id(l);
    if (!x) return gc::error{"invalid_argument", "Invalid label: " + l};
    r |= *x;
  }
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto b = impl_->box(user);
    if (!b) return no_user(user);
    auto mid = parse_id(id);
    if (!mid || !b->change_labels(*mid, a, r)) return not_found;
    impl_->touched(*b);
    notes = impl_->take_pending();
    fn = impl_->listener;
  }
  notify(fn, notes);
  return gc::ok_v;
}

} // namespace gc::sim

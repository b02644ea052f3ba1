#include "sim/workspace.hpp"

#include "sim/mime_codec.hpp"
#include "sim/query.hpp"
#include "sim/workspace_impl.hpp"

#include <sstream>

namespace gc::sim {
namespace {

gc::error bad(std::string m) { return gc::error{"invalid_argument", std::move(m)}; }
gc::error no_user(const std::string& u) {
  return gc::error{"failed_precondition", "Unknown mailbox " + u};
}

size_t page_size(const std::optional<int64_t>& v) {
  if (!v || *v <= 0) return 100;
  return size_t(std::min<int64_t>(*v, 500));   // Gmail caps at 500
}

std::optional<uint64_t> parse_u64(const std::string& s) {
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  try {
    return std::stoull(s);
  } catch (...) {
    return std::nullopt;
  }
}

// A history message reference: {id, threadId[, labelIds]}.
json ref(uint64_t id, uint64_t thread, label_set labels = 0) {
  json j = {{"id", format_id(id)}, {"threadId", format_id(thread)}};
  if (labels) j["labelIds"] = label_ids(labels);
  return j;
}

} // namespace

gc::result<workspace_spec> workspace_spec::parse(const std::string& text) {
  workspace_spec s;
  if (text.empty() || text == "demo") return s;
  std::istringstream in(text);
  std::string kv;
  while (std::getline(in, kv, ',')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return bad("workspace spec: expected key=value, got '" + kv + "'");
    auto k = trim(kv.substr(0, eq)), v = trim(kv.substr(eq + 1));
    auto n = parse_u64(v);
    if (k == "domain" && !v.empty()) s.domain = lower(v);
    else if (k == "mailboxes" && n && *n >= 1 && *n <= 12) s.mailboxes = int(*n);
    else if (k == "messages" && n && *n >= 1 && *n <= 5'000'000) s.messages = int(*n);
    else if (k == "seed" && n) s.seed = *n;
    else if (k == "anchor_ms" && n) s.anchor_ms = int64_t(*n);
    else return bad("workspace spec: bad value for '" + k + "'");
  }
  return s;
}

gc::result<msg_format> parse_format(const std::string& s) {
  if (s.empty() || s == "full") return msg_format::full;
  if (s == "minimal") return msg_format::minimal;
  if (s == "metadata") return msg_format::metadata;
  if (s == "raw") return msg_format::raw;
  return bad("Invalid value at 'format' (TYPE_ENUM), \"" + s + "\"");
}

workspace::workspace() : impl_(std::make_unique<impl>()) {}
workspace::~workspace() = default;

mailbox* workspace::impl::box(const std::string& user) const {
  auto it = index.find(lower(user));
  return it == index.end() ? nullptr : boxes[it->second].get();
}

size_t workspace::impl::box_index(const std::string& user) const {
  auto it = index.find(lower(user));
  return it == index.end() ? size_t(-1) : it->second;
}

mailbox& workspace::impl::add_box(const std::string& address) {
  auto a = lower(address);
  if (auto b = box(a)) return *b;
  boxes.push_back(std::make_unique<mailbox>(a, gen::mix(seed, std::hash<std::string>{}(a) & 0xFFFFFFFF)));
  index[a] = boxes.size() - 1;
  return *boxes.back();
}

std::string workspace::domain() const {
  std::lock_guard lk(mu_);
  return impl_->domain;
}

std::vector<std::string> workspace::mailboxes() const {
  std::lock_guard lk(mu_);
  std::vector<std::string> out;
  for (auto& b : impl_->boxes) out.push_back(b->address());
  return out;
}

bool workspace::has_mailbox(const std::string& user) const {
  std::lock_guard lk(mu_);
  return impl_->box(user) != nullptr;
}

uint64_t workspace::current_history_id(const std::string& user) const {
  std::lock_guard lk(mu_);
  auto b = impl_->box(user);
  return b ? b->history_id() : 0;
}

gc::result<json> workspace::profile(const std::string& user) const {
  std::lock_guard lk(mu_);
  auto b = impl_->box(user);
  if (!b) return no_user(user);
  return json{{"emailAddress", b->address()}, {"messagesTotal", b->size()},
              {"threadsTotal", b->threads_total()}, {"historyId", std::to_string(b->history_id())}};
}

gc::result<json> workspace::list_messages(const std::string& user, const list_params& p) const {
  auto q = parse_query(p.q);
  if (!q) return q.error();
  label_set want = 0;
  std::vector<label_set> all;
  for (auto& id : p.label_ids) {
    auto l = label_from_id(id);
    if (!l) return bad("Invalid label: " + id);
    all.push_back(*l);
    want |= *l;
  }
  bool show_st = p.include_spam_trash || q->shows_spam_trash || (want & (lbl::spam | lbl::trash));
  std::lock_guard lk(mu_);
  auto b = impl_->box(user);
  if (!b) return no_user(user);
  auto& store = impl_->store;
  const std::string no_id;
  auto keep = [&](const sim_message& m) {
    for (auto l : all)
      if (!(m.labels & l)) return false;
    if (!show_st && (m.labels & (lbl::spam | lbl::trash))) return false;
    return q->matches(m, q->uses_message_id() ? store.message_id(m.mail) : no_id);
  };
  std::string filter_key = p.q + '\n' + (show_st ? "+st" : "-st");
  for (auto& id : p.label_ids) filter_key += '\n' + id;
  auto page = b->list(keep, filter_key, p.page_token, page_size(p.max_results));
  if (!page) return page.error();
  json out = {{"resultSizeEstimate", page->result_size_estimate}};
  if (!page->messages.empty()) {
    json ms = json::array();
    for (auto m : page->messages) ms.push_back({{"id", format_id(m->id)}, {"threadId", format_id(m->thread_id)}});
    out["messages"] = std::move(ms);
  }
  if (!page->next_page_token.empty()) out["nextPageToken"] = page->next_page_token;
  return out;
}

gc::result<json> workspace::list_history(const std::string& user, const history_params& p) const {
  history_query hq;
  auto start = p.start_history_id ? parse_u64(*p.start_history_id) : std::nullopt;
  if (!start || *start == 0) return bad("Missing/invalid parameter: startHistoryId");
  hq.start_history_id = *start;
  for (auto& t : p.history_types) {
    auto ht = history_type_from_name(t);
    if (!ht) return bad("Invalid value at 'history_types' (TYPE_ENUM), \"" + t + "\"");
    hq.types |= 1u << unsigned(*ht);
  }
  if (!p.label_id.empty()) {
    auto l = label_from_id(p.label_id);
    if (!l) return bad("Invalid label: " + p.label_id);
    hq.label = *l;
  }
  hq.page_token = p.page_token;
  hq.max_results = page_size(p.max_results);
  std::lock_guard lk(mu_);
  auto b = impl_->box(user);
  if (!b) return no_user(user);
  hq.empty_first_page = impl_->empty_history_pages;
  auto page = b->history(hq);
  if (!page) return page.error();
  json out = {{"historyId", std::to_string(page->history_id)}};
  if (!page->records.empty()) {
    json hs = json::array();
    for (auto r : page->records) {
      auto msg = ref(r->message_id, r->thread_id);
      json h = {{"id", std::to_string(r->id)}, {"messages", json::array({msg})}};
      auto full = ref(r->message_id, r->thread_id, r->after);
      switch (r->type) {
        case history_type::message_added: h["messagesAdded"] = json::array({{{"message", full}}}); break;
        case history_type::message_deleted: h["messagesDeleted"] = json::array({{{"message", msg}}}); break;
        case history_type::label_added:
          h["labelsAdded"] = json::array({{{"message", full}, {"labelIds", label_ids(r->changed)}}});
          break;
        case history_type::label_removed:
          h["labelsRemoved"] = json::array({{{"message", full}, {"labelIds", label_ids(r->changed)}}});
          break;
      }
      hs.push_back(std::move(h));
    }
    out["history"] = std::move(hs);
  }
  if (!page->next_page_token.empty()) out["nextPageToken"] = page->next_page_token;
  return out;
}

void workspace::set_empty_history_pages(bool on) {
  std::lock_guard lk(mu_);
  impl_->empty_history_pages = on;
}

void workspace::set_large_body_threshold(size_t bytes) {
  std::lock_guard lk(mu_);
  impl_->large_threshold = bytes;
}

void workspace::set_change_listener(std::function<void(const std::string&, uint64_t)> fn) {
  std::lock_guard lk(mu_);
  impl_->listener = std::move(fn);
}

void workspace::expire_history(const std::string& user) {
  std::lock_guard lk(mu_);
  if (auto b = impl_->box(user)) b->expire_history();
}

void workspace::set_history_horizon(const std::string& user, uint64_t min_valid) {
  std::lock_guard lk(mu_);
  if (auto b = impl_->box(user)) b->set_horizon(min_valid);
}

json workspace::crm_seed() const {
  std::lock_guard lk(mu_);
  if (impl_->gen) return impl_->gen->crm_seed();
  return {{"fund", {{"name", impl_->domain}, {"domain", impl_->domain}}}, {"team", json::array()},
          {"investors", json::array()}, {"contacts", json::array()}};
}

} // namespace gc::sim

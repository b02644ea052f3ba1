// Building a workspace: generated mail placed into team mailboxes, or real mail loaded from
// .eml files / mbox. Also the raw-message insertion used by loaders and by writes.
#include "sim/workspace.hpp"

#include "core/log.hpp"
#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"
#include "sim/workspace_impl.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>

namespace gc::sim {
namespace {

constexpr int64_t day_ms = 86'400'000;

label_set list_category(const std::string& email) {
  if (email.find("crunchbase") != std::string::npos || email.find("pitchbook") != std::string::npos)
    return lbl::cat_promotions;
  if (email.find("community") != std::string::npos) return lbl::cat_forums;
  return lbl::cat_updates;
}

// Google Takeout's X-Gmail-Labels values -> label bits.
label_set takeout_labels(const std::string& v) {
  static const std::pair<const char*, label_set> map[] = {
      {"inbox", lbl::inbox}, {"sent", lbl::sent}, {"important", lbl::important},
      {"starred", lbl::starred}, {"spam", lbl::spam}, {"trash", lbl::trash},
      {"unread", lbl::unread}, {"drafts", lbl::draft}, {"draft", lbl::draft}, {"chat", lbl::chat},
      {"category promotions", lbl::cat_promotions}, {"category social", lbl::cat_social},
      {"category updates", lbl::cat_updates}, {"category forums", lbl::cat_forums},
      {"category personal", lbl::cat_personal}};
  label_set out = 0;
  size_t i = 0;
  while (i <= v.size()) {
    auto c = v.find(',', i);
    auto item = lower(trim(v.substr(i, c == std::string::npos ? std::string::npos : c - i)));
    for (auto [k, b] : map)
      if (item == k) out |= b;
    if (c == std::string::npos) break;
    i = c + 1;
  }
  return out;
}

} // namespace

int64_t workspace::impl::next_clock() {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
  clock_ms = std::max<int64_t>(clock_ms + 1000, now);
  return clock_ms;
}

void workspace::impl::place_generated(uint32_t g, uint32_t mail, bool live) {
  auto& m = gen->mails()[g];
  uint64_t key = uint64_t(m.conv) + 1;
  uint64_t r = gen::mix(seed ^ 0x1abe1ull, g);
  auto copy = [&](uint32_t person, label_set labels) {
    mailbox& b = *boxes[person];
    uint64_t id = b.new_message_id(m.date_ms, gen::mix(seed ^ 0x1d5ull, uint64_t(g) * 16 + person));
    uint64_t tid = b.thread_for_key(key).value_or(id);
    b.bind_thread_key(key, tid);
    b.add(id, tid, m.date_ms, labels, mail);
    b.bind_message_id(m.message_id, tid);
    touched(b);
  };
  std::set<uint32_t> rcpts;
  for (auto p : m.to) if (gen->is_team(p)) rcpts.insert(p);
  for (auto p : m.cc) if (gen->is_team(p)) rcpts.insert(p);
  bool team_sender = gen->is_team(m.from);
  if (m.kind == mail_kind::draft) {
    if (team_sender) copy(m.from, lbl::draft);
    return;
  }
  if (m.kind == mail_kind::chat) {
    if (team_sender) copy(m.from, lbl::chat);
    for (auto p : rcpts) if (p != m.from) copy(p, lbl::chat);
    return;
  }
  if (team_sender) {
    label_set l = lbl::sent;
    if (rcpts.erase(m.from)) l |= lbl::inbox | lbl::unread;
    copy(m.from, l);
  }
  for (auto p : rcpts) {
    uint64_t rr = gen::mix(r, p);
    label_set l = 0;
    if (m.kind == mail_kind::spam) {
      l = lbl::spam | (rr % 2 ? lbl::unread : 0);
    } else {
      l = lbl::inbox | (m.kind == mail_kind::list ? list_category(gen->people()[m.from].email) : lbl::cat_personal);
      bool recent = gen->clock_ms() - m.date_ms < 14 * day_ms;
      if (live || (rr >> 8) % 100 < (recent ? 60u : 5u)) l |= lbl::unread;
      if ((rr >> 16) % 100 < 4) l |= lbl::starred;
      if (m.kind != mail_kind::list && (rr >> 24) % 100 < 35) l |= lbl::important;
      if (!live && (rr >> 32) % 100 < 3) l = (l & ~lbl::inbox) | lbl::trash;
    }
    copy(p, l);
  }
}

std::unique_ptr<workspace> workspace::generate(const workspace_spec& spec) {
  auto w = impl::make();
  auto& I = *w->impl_;
  I.domain = lower(spec.domain);
  I.seed = spec.seed;
  I.gen = std::make_unique<mail_generator>(spec.mailboxes, spec.messages, spec.seed, I.domain, spec.anchor_ms);
  I.store.set_generator(I.gen.get());
  for (int i = 0; i < I.gen->team_size(); ++i) I.add_box(I.gen->people()[size_t(i)].email);
  auto& mails = I.gen->mails();
  std::vector<uint32_t> order(mails.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::pair(mails[a].date_ms, a) < std::pair(mails[b].date_ms, b);
  });
  int64_t recent_from = I.gen->clock_ms() - int64_t(I.horizon_days) * day_ms;
  bool horizon_set = false;
  for (auto g : order) {
    if (!horizon_set && mails[g].date_ms >= recent_from) {   // older history has expired
      for (auto& b : I.boxes) b->set_horizon(b->history_id());
      horizon_set = true;
    }
    I.place_generated(g, I.store.add_generated(g), false);
  }
  if (!horizon_set)
    for (auto& b : I.boxes) b->set_horizon(b->history_id());
  I.clock_ms = I.gen->clock_ms();
  I.pending.clear();
  return w;
}

bool workspace::impl::thread_matches(const mailbox& b, uint64_t tid, const std::vector<std::string>& refs,
                                     const std::string& subject) const {
  bool ref_hit = false, subj_hit = false;
  auto want = normalize_subject(subject);
  for (auto m : b.thread(tid)) {
    auto& mid = store.message_id(m->mail);
    for (auto& r : refs) ref_hit = ref_hit || (!mid.empty() && r == mid);
    auto t = store.tree(m->mail);
    subj_hit = subj_hit || normalize_subject(rfc2047_decode(t.header_or("Subject"))) == want;
  }
  return ref_hit && subj_hit;
}

const sim_message& workspace::impl::add_raw_copy(mailbox& b, uint32_t mail, label_set labels,
                                                 const std::string& requested, int64_t date,
                                                 uint64_t key) {
  auto raw = store.raw(mail);
  auto top = parse_message(std::string_view(raw).substr(0, raw.find("\r\n\r\n")));
  std::vector<std::string> refs;
  for (auto h : {"References", "In-Reply-To"})
    for (auto& r : message_id_list(top.header_or(h))) refs.push_back(r);
  auto subject = rfc2047_decode(top.header_or("Subject"));
  uint64_t id = b.new_message_id(date, gen::mix(seed ^ mail, b.size() + 7));
  std::optional<uint64_t> tid;
  if (!requested.empty()) {
    auto t = parse_id(requested);
    if (t && thread_matches(b, *t, refs, subject)) tid = t;
  } else if (key) {
    tid = b.thread_for_key(key);
  } else {
    for (auto it = refs.rbegin(); it != refs.rend() && !tid; ++it)
      if (auto t = b.thread_for_message_id(*it); t && thread_matches(b, *t, refs, subject)) tid = t;
  }
  auto& m = b.add(id, tid.value_or(id), date, labels, mail);
  if (key) b.bind_thread_key(key, m.thread_id);
  b.bind_message_id(store.message_id(mail), m.thread_id);
  touched(b);
  return m;
}

gc::result<std::unique_ptr<workspace>> workspace::impl::load(std::vector<std::string> raws,
                                                             const std::string& target) {
  auto w = make();
  auto& I = *w->impl_;
  bool by_domain = target.find('@') == std::string::npos;
  I.domain = lower(by_domain ? target : target.substr(target.find('@') + 1));
  I.seed = 1;
  if (!by_domain) I.add_box(target);
  struct item { int64_t date; size_t idx; mail_part top; };
  std::vector<item> items;
  for (size_t i = 0; i < raws.size(); ++i) {
    auto top = parse_message(std::string_view(raws[i]).substr(0, raws[i].find("\r\n\r\n")));
    auto d = parse_rfc822_date(top.header_or("Date"));
    if (!d) {   // no usable Date: the time the first Received hop saw it
      auto rcv = top.header_or("Received");
      if (auto semi = rcv.rfind(';'); semi != std::string::npos) d = parse_rfc822_date(rcv.substr(semi + 1));
    }
    items.push_back({d.value_or(int64_t(i) * 1000), i, std::move(top)});
  }
  std::stable_sort(items.begin(), items.end(), [](auto& a, auto& b) { return a.date < b.date; });
  for (auto& it : items) {
    auto from = address_list(it.top.header_or("From"));
    std::set<std::string> rcpt;
    for (auto h : {"To", "Cc", "Delivered-To"})
      for (auto& a : address_list(it.top.header_or(h))) rcpt.insert(a);
    std::vector<std::string> targets;
    if (!by_domain) {
      targets.push_back(lower(target));
    } else {
      std::set<std::string> all(rcpt);
      if (!from.empty()) all.insert(from[0]);
      for (auto& a : all)
        if (a.size() > I.domain.size() + 1 && a.compare(a.size() - I.domain.size() - 1, std::string::npos, "@" + I.domain) == 0)
          targets.push_back(a);
    }
    if (targets.empty()) continue;
    uint32_t mail = I.store.add_raw(std::move(raws[it.idx]));
    uint64_t key = 0;
    if (auto thr = it.top.header("X-GM-THRID")) key = gen::mix(0x7e1d, std::hash<std::string>{}(trim(*thr)));
    for (auto& t : targets) {
      auto& b = I.add_box(t);
      label_set l = 0;
      if (auto gl = it.top.header("X-Gmail-Labels")) {
        l = takeout_labels(*gl);
      } else {
        bool mine = !from.empty() && from[0] == b.address();
        l = mine ? lbl::sent : lbl::inbox;
        if (mine && rcpt.count(b.address())) l |= lbl::inbox;
      }
      I.add_raw_copy(b, mail, l, "", it.date, key);
    }
    I.clock_ms = std::max(I.clock_ms, it.date);
  }
  if (I.boxes.empty()) return gc::error{"bad_config", "no message addressed to a mailbox at " + I.domain};
  I.pending.clear();
  log::info("sim: loaded {} messages into {} mailbox(es)", I.store.size(), I.boxes.size());
  return w;
}

gc::result<std::unique_ptr<workspace>> workspace::from_eml_dir(const std::string& dir, const std::string& mailbox) {
  auto raws = load_eml_dir(dir);
  if (!raws) return raws.error();
  return impl::load(std::move(*raws), mailbox);
}

gc::result<std::unique_ptr<workspace>> workspace::from_mbox(const std::string& file, const std::string& mailbox) {
  auto raws = load_mbox(file);
  if (!raws) return raws.error();
  return impl::load(std::move(*raws), mailbox);
}

} // namespace gc::sim

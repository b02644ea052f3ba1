// Conversation planning: who writes to whom, when, in which MIME shape, with which Message-ID.
#include "sim/mail_gen.hpp"

#include "core/encoding.hpp"

#include <algorithm>

namespace gc::sim {
namespace {

constexpr int64_t minute = 60'000, hour = 60 * minute, day = 24 * hour;
constexpr int64_t default_anchor = 1'735'689'600'000;   // 2025-01-01T00:00:00Z

uint32_t pick(std::mt19937_64& rng, size_t n) { return uint32_t(rng() % n); }

int64_t reply_delay(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return 5 * minute + int64_t(rng() % uint64_t(2 * hour));
    case 1: return hour + int64_t(rng() % uint64_t(12 * hour));
    case 2: return 12 * hour + int64_t(rng() % uint64_t(2 * day));
    default: return 2 * day + int64_t(rng() % uint64_t(5 * day));
  }
}

} // namespace

mail_generator::mail_generator(int team_size, int messages, uint64_t seed, std::string domain,
                               int64_t anchor_ms)
    : domain_(std::move(domain)), team_(std::clamp(team_size, 1, 12)), seed_(seed) {
  std::mt19937_64 rng(seed);
  build_directory(rng, messages);
  plan(rng, messages, anchor_ms ? anchor_ms : default_anchor);
}

mime_shape mail_generator::pick_shape(std::mt19937_64& rng, topic_kind t, mail_kind k) const {
  if (k == mail_kind::chat) return mime_shape::plain_utf8;
  if (k == mail_kind::forward) return mime_shape::forward;
  if (k == mail_kind::list) return rng() % 10 < 6 ? mime_shape::html_only : mime_shape::alternative;
  if (k == mail_kind::spam)
    return rng() % 2 ? mime_shape::html_only : mime_shape::plain_cp1252_qp;
  int r = int(rng() % 100);
  if (t == topic_kind::lp && r < 20) return mime_shape::mixed_pdf;
  static constexpr std::pair<int, mime_shape> w[] = {
      {18, mime_shape::plain_utf8},      {28, mime_shape::plain_utf8_qp},
      {34, mime_shape::plain_latin1_qp}, {40, mime_shape::plain_cp1252_qp},
      {44, mime_shape::plain_base64},    {68, mime_shape::alternative},
      {78, mime_shape::mixed_pdf},       {90, mime_shape::related_inline},
      {100, mime_shape::mixed_jpeg}};
  r = int(rng() % 100);
  for (auto [lim, s] : w)
    if (r < lim) return s;
  return mime_shape::plain_utf8;
}

uint32_t mail_generator::add_mail(planned_mail m, std::mt19937_64& rng) {
  uint32_t idx = uint32_t(mails_.size());
  m.seed = gen::mix(seed_, idx);
  auto& from = people_[m.from];
  auto fk = orgs_[from.org].kind;
  std::string h = core::hex_encode(std::string_view(reinterpret_cast<const char*>(&m.seed), 8));
  bool none = m.kind == mail_kind::chat || (fk != org_kind::fund && rng() % 100 < 4) ||
              (fk == org_kind::spam && rng() % 100 < 30);
  if (none) {
    m.message_id.clear();
  } else if (fk == org_kind::fund || fk == org_kind::free_mail || m.from_personal) {
    auto tail = core::base64url_encode(
        std::string(reinterpret_cast<const char*>(&m.seed), 8) + std::to_string(idx) + h);
    std::replace(tail.begin(), tail.end(), '-', '+');
    m.message_id = "<CA" + tail.substr(0, 40) + "@mail.gmail.com>";
  } else {
    auto dom = from.email.substr(from.email.find('@') + 1);
    m.message_id = "<" + std::to_string(m.date_ms / 1000) + "." + h.substr(0, 12) + "@" + dom + ">";
  }
  clock_ms_ = std::max(clock_ms_, m.date_ms);
  convs_[m.conv].mails.push_back(idx);
  mails_.push_back(std::move(m));
  return idx;
}

uint32_t mail_generator::plan_reply(std::mt19937_64& rng, uint32_t c, int64_t date_ms, mail_kind kind) {
  auto& conv = convs_[c];
  uint32_t last = conv.mails.back();
  auto& prev = mails_[last];
  // Reply from the side that did not write the previous mail.
  bool prev_a = std::find(conv.side_a.begin(), conv.side_a.end(), prev.from) != conv.side_a.end();
  auto& me_side = prev_a ? conv.side_b : conv.side_a;
  auto& other = prev_a ? conv.side_a : conv.side_b;
  planned_mail m;
  m.conv = c;
  m.parent = last;
  m.from = me_side[rng() % me_side.size()];
  if (kind == mail_kind::draft && !is_team(m.from)) {
    m.from = other[0];
    if (!is_team(m.from)) return no_mail;
  }
  m.to.push_back(prev.from == m.from ? other[0] : prev.from);
  for (auto p : conv.side_a) if (p != m.from && p != m.to[0]) m.cc.push_back(p);
  for (auto p : conv.side_b) if (p != m.from && p != m.to[0]) m.cc.push_back(p);
  m.from_personal = !people_[m.from].personal_email.empty() && rng() % 4 == 0;
  m.date_ms = date_ms;
  m.kind = kind;
  m.shape = pick_shape(rng, conv.topic, kind);
  return add_mail(std::move(m), rng);
}

uint32_t mail_generator::plan_conversation(std::mt19937_64& rng, int64_t start, int64_t end, int budget) {
  int r = int(rng() % 100);
  conversation conv;
  mail_kind kind = mail_kind::normal;
  uint32_t t1 = pick(rng, team_), t2 = team_ > 1 ? (t1 + 1 + pick(rng, team_ - 1)) % team_ : t1;
  auto team_side = [&](std::vector<uint32_t>& side) {
    side.push_back(t1);
    if (team_ > 1 && rng() % 100 < 35) side.push_back(t2);
  };
  if (r < 28) {                       // an LP writes in
    conv.topic = topic_kind::lp;
    conv.side_a = {pick_external(rng, org_kind::lp)};
    team_side(conv.side_b);
  } else if (r >= 88) {               // the fund writes to an LP
    conv.topic = topic_kind::lp;
    team_side(conv.side_a);
    conv.side_b = {pick_external(rng, org_kind::lp)};
  } else if (r < 46) {
    conv.topic = topic_kind::founder;
    conv.side_a = {pick_external(rng, org_kind::portfolio)};
    team_side(conv.side_b);
  } else if (r < 56) {
    conv.topic = topic_kind::internal;
    conv.side_a = {t1};
    conv.side_b = {t2};
  } else if (r < 62) {
    conv.topic = topic_kind::service;
    conv.side_a = {pick_external(rng, org_kind::service)};
    conv.side_b = {t1};
  } else if (r < 74) {
    conv.topic = topic_kind::list;
    kind = mail_kind::list;
    conv.side_a = {pick_external(rng, org_kind::list)};
    conv.side_b = {t1};
    budget = 1;
  } else if (r < 78) {
    conv.topic = topic_kind::spam;
    kind = mail_kind::spam;
    conv.side_a = {pick_external(rng, org_kind::spam)};
    conv.side_b = {t1};
    budget = 1;
  } else if (r < 82) {
    kind = mail_kind::forward;
  } else if (r < 86) {
    conv.topic = topic_kind::chat;
    kind = mail_kind::chat;
    conv.side_a = {t1};
    conv.side_b = {t2};
  } else {                            // a standalone unsent draft
    conv.topic = topic_kind::lp;
    kind = mail_kind::draft;
    conv.side_a = {t1};
    conv.side_b = {pick_external(rng, org_kind::lp)};
    budget = 1;
  }
  uint64_t cseed = gen::mix(seed_, 0x5eed0000ull + convs_.size());
  planned_mail first;
  first.date_ms = start;
  first.kind = kind;
  if (kind == mail_kind::forward) {   // forward an earlier received external mail
    if (mails_.empty()) return no_mail;
    uint32_t j = pick(rng, mails_.size());
    auto& orig = mails_[j];
    if (is_team(orig.from) || orig.kind != mail_kind::normal || orig.to.empty() || !is_team(orig.to[0]))
      return no_mail;
    first.inner = j;
    first.from = orig.to[0];
    first.date_ms = std::max(start, orig.date_ms + hour + int64_t(rng() % uint64_t(3 * day)));
    conv.topic = convs_[orig.conv].topic;
    conv.subject = convs_[orig.conv].subject;
    conv.subject_enc = convs_[orig.conv].subject_enc;
    conv.side_a = {first.from};
    conv.side_b = {uint32_t((first.from + 1 + pick(rng, std::max(team_ - 1, 1))) % team_)};
  } else {
    conv.subject = gen::topic_subject(conv.topic, cseed, orgs_[people_[conv.side_a[0]].org].name,
                                      conv.subject_enc);
    first.from = conv.side_a[0];
  }
  if (first.date_ms > end) return no_mail;
  first.to = {conv.side_b[0]};
  for (size_t i = 1; i < conv.side_b.size(); ++i) first.cc.push_back(conv.side_b[i]);
  for (size_t i = 1; i < conv.side_a.size(); ++i) first.cc.push_back(conv.side_a[i]);
  first.from_personal = !people_[first.from].personal_email.empty() && rng() % 4 == 0;
  first.shape = pick_shape(rng, conv.topic, kind);
  uint32_t c = uint32_t(convs_.size());
  first.conv = c;
  convs_.push_back(std::move(conv));
  uint32_t idx = add_mail(std::move(first), rng);
  if (kind != mail_kind::normal && kind != mail_kind::chat) return idx;
  int len = kind == mail_kind::chat ? 1 + int(rng() % 4) : [&] {
    int x = int(rng() % 100);
    return x < 40 ? 1 : x < 65 ? 2 : x < 80 ? 3 : x < 90 ? 4 : 5 + int(rng() % 3);
  }();
  int64_t date = mails_[idx].date_ms;
  for (int i = 1; i < len && i < budget; ++i) {
    date += kind == mail_kind::chat ? minute + int64_t(rng() % uint64_t(20 * minute)) : reply_delay(rng);
    if (date > end) break;
    plan_reply(rng, c, date, kind);
  }
  int used = int(convs_[c].mails.size());
  if (kind == mail_kind::normal && used < budget && rng() % 100 < 8) {   // unsent reply draft
    date += 30 * minute + int64_t(rng() % uint64_t(day));
    if (date <= end) plan_reply(rng, c, date, mail_kind::draft);
  }
  return idx;
}

void mail_generator::plan(std::mt19937_64& rng, int messages, int64_t anchor) {
  const int64_t span = 540 * day;
  convs_.reserve(size_t(messages) / 2 + 8);
  mails_.reserve(size_t(messages) + 8);
  while (int(mails_.size()) < messages) {
    int64_t start = anchor - span + int64_t(rng() % uint64_t(span - hour));
    plan_conversation(rng, start, anchor, messages - int(mails_.size()));
  }
  if (!clock_ms_) clock_ms_ = anchor;
}

uint32_t mail_generator::plan_live(std::mt19937_64& rng) {
  int64_t date = clock_ms_ + minute + int64_t(rng() % uint64_t(30 * minute));
  if (!convs_.empty() && rng() % 100 < 55) {
    for (int tries = 0; tries < 20; ++tries) {
      uint32_t c = uint32_t(convs_.size() - 1 - rng() % std::min<size_t>(convs_.size(), 60));
      auto& conv = convs_[c];
      auto& last = mails_[conv.mails.back()];
      if (conv.topic == topic_kind::list || conv.topic == topic_kind::spam ||
          conv.topic == topic_kind::chat || last.kind != mail_kind::normal || conv.side_b.empty())
        continue;
      return plan_reply(rng, c, date, mail_kind::normal);
    }
  }
  for (;;) {
    auto idx = plan_conversation(rng, date, date + 7 * day, 1);
    if (idx != no_mail) return idx;
  }
}

} // namespace gc::sim

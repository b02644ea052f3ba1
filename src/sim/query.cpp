#include "sim/query.hpp"

#include "sim/mime_codec.hpp"

#include <sstream>

namespace gc::sim {
namespace {

gc::error unsupported(const std::string& term) {
  return gc::error{"invalid_argument", "Unsupported search term: " + term};
}

std::optional<int64_t> parse_when(const std::string& v) {
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos)
    return std::stoll(v) * 1000;
  int y = 0, m = 0, d = 0;
  char s1 = 0, s2 = 0;
  std::istringstream in(v);
  if (!(in >> y >> s1 >> m >> s2 >> d) || s1 != s2 || (s1 != '/' && s1 != '-')) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  int yy = y - (m <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t(era) * 146097 + doe - 719468) * 86400000LL;
}

std::string strip_brackets(std::string v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return v;
}

std::optional<label_set> named_label(const std::string& op, const std::string& v) {
  auto x = lower(v);
  if (op == "category") {
    if (x == "primary" || x == "personal") return lbl::cat_personal;
    if (x == "social") return lbl::cat_social;
    if (x == "promotions") return lbl::cat_promotions;
    if (x == "updates") return lbl::cat_updates;
    if (x == "forums") return lbl::cat_forums;
    return std::nullopt;
  }
  if (op == "label") {
    if (auto l = label_from_id(v)) return l;
    std::string up = v;
    for (auto& c : up) c = char(std::toupper(uint8_t(c)));
    if (auto l = label_from_id(up)) return l;
    return std::nullopt;
  }
  if (x == "inbox") return lbl::inbox;
  if (x == "sent") return lbl::sent;
  if (x == "draft" || x == "drafts") return lbl::draft;
  if (x == "spam") return lbl::spam;
  if (x == "trash") return lbl::trash;
  if (x == "chat" || x == "chats") return lbl::chat;
  if (x == "starred") return lbl::starred;
  if (x == "unread") return lbl::unread;
  if (x == "important") return lbl::important;
  return std::nullopt;
}

} // namespace

gc::result<mail_query> parse_query(const std::string& text) {
  mail_query q;
  std::istringstream in(text);
  std::string term;
  while (in >> term) {
    bool neg = term[0] == '-';
    std::string t = neg ? term.substr(1) : term;
    auto colon = t.find(':');
    if (colon == std::string::npos || colon == 0) return unsupported(term);
    std::string op = lower(t.substr(0, colon)), v = t.substr(colon + 1);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (v.empty()) return unsupported(term);
    if (op == "after" || op == "newer" || op == "before" || op == "older") {
      auto when = parse_when(v);
      if (!when || neg) return unsupported(term);
      if (op == "after" || op == "newer") q.after_ms = std::max(q.after_ms.value_or(*when), *when);
      else q.before_ms = std::min(q.before_ms.value_or(*when), *when);
    } else if (op == "rfc822msgid") {
      (neg ? q.not_msgids : q.msgids).push_back(strip_brackets(v));
    } else if (op == "in" && lower(v) == "anywhere") {
      if (!neg) q.shows_spam_trash = true;
    } else if (op == "in" || op == "is" || op == "label" || op == "category") {
      std::optional<label_set> l;
      if (op == "is" && lower(v) == "read") {
        l = lbl::unread;
        neg = !neg;
      } else {
        l = named_label(op, v);
      }
      if (!l) return unsupported(term);
      if (neg) q.none_of |= *l;
      else q.all_of.push_back(*l);
      if (!neg && (*l & (lbl::spam | lbl::trash))) q.shows_spam_trash = true;
    } else {
      return unsupported(term);
    }
  }
  return q;
}

bool mail_query::matches(const sim_message& m, const std::string& message_id) const {
  if (after_ms && m.internal_date_ms < *after_ms) return false;
  if (before_ms && m.internal_date_ms >= *before_ms) return false;
  if (m.labels & none_of) return false;
  for (auto g : all_of)
    if (!(m.labels & g)) return false;
  if (uses_message_id()) {
    auto id = strip_brackets(message_id);
    for (auto& want : msgids)
      if (id.empty() || !iequals(id, want)) return false;
    for (auto& no : not_msgids)
      if (iequals(id, no)) return false;
  }
  return true;
}

} // namespace gc::sim

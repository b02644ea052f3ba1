#include "core/threading.hpp"

#include "core/crypto.hpp"

#include <algorithm>
#include <array>

namespace gc::core {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of one reply/forward prefix at the start of s ("Re:", "RE[2]:", "Fwd :"), or 0.
size_t prefix_length(std::string_view s) {
  static constexpr std::array<std::string_view, 10> words = {
      "re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "tr", "rif"};
  size_t i = 0;
  while (i < s.size() && is_alpha(s[i])) ++i;
  if (i == 0 || std::find(words.begin(), words.end(), to_lower(s.substr(0, i))) == words.end())
    return 0;
  if (i < s.size() && (s[i] == '[' || s[i] == '(')) {  // a counter: Re[2]: or Re(2):
    char close = s[i] == '[' ? ']' : ')';
    size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1 || j >= s.size() || s[j] != close) return 0;
    i = j + 1;
  }
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return (i < s.size() && s[i] == ':') ? i + 1 : 0;
}

void add_key(std::vector<thread_key>& keys, std::string kind, std::string key) {
  thread_key k{std::move(kind), std::move(key)};
  if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
}

} // namespace

std::optional<std::string> normalize_message_id(std::string_view raw) {
  std::string_view s = trim(raw);
  if (!s.empty() && s.front() == '<') {
    auto close = s.find('>');
    if (close == std::string_view::npos) return std::nullopt;
    s = s.substr(1, close - 1);
  }
  std::string out;
  out.reserve(s.size());
  bool inner_space = false;
  for (char c : s) {
    if (c == '\r' || c == '\n') continue;  // header folding
    if (is_space(c)) { inner_space = true; continue; }
    if (c == '<' || c == '>') return std::nullopt;
    if (inner_space && !out.empty()) return std::nullopt;  // two words: not one msg-id
    inner_space = false;
    out.push_back(lower(c));
  }
  auto at = out.rfind('@');
  if (out.empty() || out.size() > 998 || at == std::string::npos || at == 0 ||
      at + 1 == out.size())
    return std::nullopt;
  return out;
}

std::vector<std::string> parse_message_id_list(std::string_view header) {
  std::vector<std::string> out;
  auto add = [&](std::string_view token) {
    auto id = normalize_message_id(token);
    if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(std::move(*id));
  };
  if (header.find('<') != std::string_view::npos) {
    size_t pos = 0;
    while ((pos = header.find('<', pos)) != std::string_view::npos) {
      auto close = header.find('>', pos);
      if (close == std::string_view::npos) break;
      add(header.substr(pos, close - pos + 1));
      pos = close + 1;
    }
    return out;
  }
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (is_space(header[i]) || header[i] == ',')) ++i;
    size_t start = i;
    while (i < header.size() && !is_space(header[i]) && header[i] != ',') ++i;
    if (i > start) add(header.substr(start, i - start));
  }
  return out;
}

std::string fallback_dedup_key(const dedup_fields& f) {
  auto addresses = [](const std::vector<std::string>& list) {
    std::vector<std::string> v;
    for (const auto& a : list) v.push_back(to_lower(trim(a)));
    std::sort(v.begin(), v.end());
    std::string joined;
    for (const auto& a : v) joined += a + ',';
    return joined;
  };
  std::string canon = "v1\nfrom:" + to_lower(trim(f.from_email)) + "\nto:" + addresses(f.to) +
                      "\ncc:" + addresses(f.cc) + "\nsubject:" + std::string{trim(f.subject)} +
                      "\ndate:" + std::string{trim(f.date)} + "\n";
  return "sha256:" + sha256_hex(canon);
}

std::string dedup_key(const std::optional<std::string>& message_id_header, const dedup_fields& f) {
  if (message_id_header) {
    if (auto id = normalize_message_id(*message_id_header)) return *id;
  }
  return fallback_dedup_key(f);
}

std::string normalize_subject(std::string_view subject) {
  std::string_view s = trim(subject);
  while (size_t n = prefix_length(s)) s = trim(s.substr(n));
  return std::string{s};
}

std::string gmail_thread_key(int64_t account_id, std::string_view gmail_thread_id) {
  return std::to_string(account_id) + ":" + std::string{gmail_thread_id};
}

std::vector<thread_key> thread_keys(int64_t account_id, std::string_view gmail_thread_id,
                                    const std::optional<std::string>& message_id,
                                    const std::optional<std::string>& in_reply_to,
                                    const std::vector<std::string>& references) {
  std::vector<thread_key> keys;
  if (!trim(gmail_thread_id).empty())
    add_key(keys, "gmail", gmail_thread_key(account_id, trim(gmail_thread_id)));
  if (message_id) {
    if (auto id = normalize_message_id(*message_id)) add_key(keys, "msgid", *id);
  }
  if (in_reply_to) {
    for (auto& id : parse_message_id_list(*in_reply_to)) add_key(keys, "msgid", std::move(id));
  }
  for (const auto& r : references) {
    for (auto& id : parse_message_id_list(r)) add_key(keys, "msgid", std::move(id));
  }
  return keys;
}

thread_plan plan_thread(std::vector<int64_t> found) {
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  thread_plan plan;
  if (found.empty()) return plan;
  plan.target = found.front();
  plan.merge.assign(found.begin() + 1, found.end());
  return plan;
}

} // namespace gc::core

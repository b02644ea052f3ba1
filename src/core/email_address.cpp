#include "core/email_address.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace gc::core {
namespace {

constexpr std::string_view spaces = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(spaces);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(spaces);
  return s.substr(b, e - b + 1);
}

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void strip_trailing_dots(std::string& s) {
  while (!s.empty() && s.back() == '.') s.pop_back();
}

// Labels non-empty; no whitespace or forbidden punctuation.
bool valid_domain(std::string_view d, bool need_two_labels) {
  if (d.empty() || d.front() == '.' || d.find("..") != std::string_view::npos) return false;
  if (need_two_labels && d.find('.') == std::string_view::npos) return false;
  for (unsigned char ch : d) {
    if (ch >= 0x80) continue;  // UTF-8 IDN, kept as given
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
              ch == '_';
    if (!ok) return false;
  }
  return true;
}

// Consumer mail providers (free_mail_domains() sorts them for binary search).
constexpr std::string_view builtin_free_mail[] = {
    "126.com",         "163.com",        "aim.com",         "aol.com",
    "att.net",         "bellsouth.net",  "bigpond.com",     "bk.ru",
    "btinternet.com",  "charter.net",    "comcast.net",     "cox.net",
    "daum.net",        "duck.com",       "earthlink.net",   "email.com",
    "fastmail.com",    "fastmail.fm",    "free.fr",         "freenet.de",
    "gmail.com",       "gmx.at",         "gmx.ch",          "gmx.com",
    "gmx.de",          "gmx.net",        "googlemail.com",  "hanmail.net",
    "hey.com",         "hotmail.com",    "hushmail.com",    "icloud.com",
    "inbox.com",       "inbox.ru",       "interia.pl",      "juno.com",
    "laposte.net",     "libero.it",      "list.ru",         "live.com",
    "lycos.com",       "mac.com",        "mail.com",        "mail.ru",
    "mailbox.org",     "me.com",         "msn.com",         "naver.com",
    "netzero.net",     "o2.pl",          "optonline.net",   "orange.fr",
    "outlook.com",     "passport.com",   "pm.me",           "posteo.de",
    "posteo.net",      "proton.me",      "protonmail.ch",   "protonmail.com",
    "qq.com",          "rambler.ru",     "rediffmail.com",  "rocketmail.com",
    "rogers.com",      "sbcglobal.net",  "seznam.cz",       "sfr.fr",
    "shaw.ca",         "sina.com",       "sky.com",         "sympatico.ca",
    "t-online.de",     "tuta.com",       "tuta.io",         "tutamail.com",
    "tutanota.com",    "tutanota.de",    "ukr.net",         "usa.net",
    "verizon.net",     "virgilio.it",    "virginmedia.com", "wanadoo.fr",
    "web.de",          "windowslive.com", "wp.pl",          "yahoo.com",
    "yandex.com",      "yandex.ru",      "ymail.com",       "zoho.com",
    "zohomail.com",    "zohomail.eu",
};

// First labels of providers that exist under many country suffixes.
constexpr std::array<std::string_view, 7> free_mail_families = {
    "yahoo", "hotmail", "outlook", "live", "gmx", "aol", "yandex"};

// "co.uk", "de", "com.br": one or two labels of 2-3 letters.
bool country_suffix(std::string_view s) {
  int labels = 0;
  while (!s.empty()) {
    auto dot = s.find('.');
    auto label = s.substr(0, dot);
    if (label.size() < 2 || label.size() > 3) return false;
    for (char ch : label)
      if (ch < 'a' || ch > 'z') return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return labels >= 1 && labels <= 2;
}

bool free_mail_exact(std::string_view d) {
  const auto& list = free_mail_domains();
  return std::binary_search(list.begin(), list.end(), d);
}

bool free_mail_family(std::string_view d) {
  auto dot = d.find('.');
  if (dot == std::string_view::npos) return false;
  auto first = d.substr(0, dot);
  return std::find(free_mail_families.begin(), free_mail_families.end(), first) !=
             free_mail_families.end() &&
         country_suffix(d.substr(dot + 1));
}

} // namespace

std::optional<std::string> normalize_address(std::string_view raw) {
  auto s = trim(raw);
  if (auto lt = s.rfind('<'); lt != std::string_view::npos) {
    auto gt = s.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    s = trim(s.substr(lt + 1, gt - lt - 1));
  } else {
    if (!s.empty() && s.back() == ')') {  // "lee@acme.vc (Lee Partner)"
      auto open = s.rfind('(');
      if (open == std::string_view::npos) return std::nullopt;
      s = trim(s.substr(0, open));
    }
    while (!s.empty() && (s.back() == ',' || s.back() == ';')) s = trim(s.substr(0, s.size() - 1));
    while (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') ||
                             (s.front() == '\'' && s.back() == '\'')))
      s = trim(s.substr(1, s.size() - 2));
  }
  std::string out = lower_ascii(s);
  if (starts_with(out, "mailto:")) out.erase(0, 7);
  auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos)
    return std::nullopt;
  for (char ch : out)
    if (spaces.find(ch) != std::string_view::npos ||
        std::string_view{"<>()[],;:\\\""}.find(ch) != std::string_view::npos)
      return std::nullopt;
  strip_trailing_dots(out);
  if (!valid_domain(std::string_view{out}.substr(at + 1), false)) return std::nullopt;
  return out;
}

std::string_view domain_of(std::string_view a) {
  auto at = a.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : a.substr(at + 1);
}

std::string address_key(std::string_view a) {
  auto at = a.rfind('@');
  if (at == std::string_view::npos) return std::string{a};
  auto domain = a.substr(at + 1);
  if (domain != "gmail.com" && domain != "googlemail.com") return std::string{a};
  auto local = a.substr(0, at);
  local = local.substr(0, local.find('+'));
  std::string out;
  for (char ch : local)
    if (ch != '.') out += ch;
  if (out.empty()) return std::string{a};  // "+x@gmail.com": keep as is
  return out + "@gmail.com";
}

std::optional<std::string> normalize_domain(std::string_view raw) {
  std::string d = lower_ascii(trim(raw));
  if (auto scheme = d.find("://"); scheme != std::string::npos) d.erase(0, scheme + 3);
  if (starts_with(d, "//")) d.erase(0, 2);
  if (auto end = d.find_first_of("/?#"); end != std::string::npos) d.erase(end);
  if (auto at = d.rfind('@'); at != std::string::npos) d.erase(0, at + 1);
  if (auto colon = d.find(':'); colon != std::string::npos) d.erase(colon);
  if (starts_with(d, "*.")) d.erase(0, 2);
  while (!d.empty() && d.front() == '.') d.erase(0, 1);
  strip_trailing_dots(d);
  if (starts_with(d, "www.") && d.find('.', 4) != std::string::npos) d.erase(0, 4);
  if (!valid_domain(d, true)) return std::nullopt;
  return d;
}

std::vector<std::string> parse_domain_list(std::string_view raw) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= raw.size()) {
    auto end = raw.find_first_of(",; \t\r\n", i);
    if (end == std::string_view::npos) end = raw.size();
    if (auto d = normalize_domain(raw.substr(i, end - i));
        d && std::find(out.begin(), out.end(), *d) == out.end())
      out.push_back(std::move(*d));
    i = end + 1;
  }
  return out;
}

std::vector<std::string> parse_address_list(std::string_view raw) {
  const bool angle = raw.find('<') != std::string_view::npos;
  const char* seps = angle ? ",;" : ",; \t\r\n";
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= raw.size()) {
    auto end = raw.find_first_of(seps, i);
    if (end == std::string_view::npos) end = raw.size();
    if (auto a = normalize_address(raw.substr(i, end - i));
        a && std::find(out.begin(), out.end(), *a) == out.end())
      out.push_back(std::move(*a));
    i = end + 1;
  }
  return out;
}

bool is_same_or_subdomain(std::string_view domain, std::string_view parent) {
  if (parent.empty() || domain.size() < parent.size()) return false;
  if (domain.size() == parent.size()) return domain == parent;
  return domain.substr(domain.size() - parent.size()) == parent &&
         domain[domain.size() - parent.size() - 1] == '.';
}

bool is_free_mail_domain(std::string_view d) {
  while (!d.empty()) {
    if (free_mail_exact(d) || free_mail_family(d)) return true;
    auto dot = d.find('.');
    if (dot == std::string_view::npos) break;
    d.remove_prefix(dot + 1);
  }
  return false;
}

const std::vector<std::string_view>& free_mail_domains() {
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> v(std::begin(builtin_free_mail), std::end(builtin_free_mail));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return sorted;
}

} // namespace gc::core

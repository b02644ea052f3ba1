#include "gmail/auth_provider.hpp"

namespace gc::gmail {
namespace {
constexpr std::string_view prefix = "https://www.googleapis.com/auth/";
}

std::string join_scopes(const scope_set& s) {
  std::string out;
  for (const auto& x : s) {
    if (!out.empty()) out += ' ';
    out += x;
  }
  return out;
}

scope_set split_scopes(std::string_view s) {
  scope_set out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) {
      std::string item{s.substr(i, j - i)};
      if (item.find(':') == std::string::npos && item.find('/') == std::string::npos)
        item = std::string{prefix} + item;
      out.insert(std::move(item));
    }
    i = j;
  }
  return out;
}

std::string short_scopes(const scope_set& s) {
  std::string out;
  for (const auto& x : s) {
    if (!out.empty()) out += ' ';
    out += x.rfind(prefix, 0) == 0 ? x.substr(prefix.size()) : x;
  }
  return out;
}

} // namespace gc::gmail

#include "sim/endpoint_fields.hpp"

#include <map>
#include <string>

namespace gc::sim {
namespace {

struct node {
  bool all = false;
  std::map<std::string, node> kids;
};

struct parser {
  std::string_view s;
  size_t i = 0;
  bool ok = true;

  // list := item (',' item)* ; stops at ')' or the end.
  void list(node& into) {
    for (;;) {
      item(into);
      if (!ok) return;
      if (i < s.size() && s[i] == ',') { ++i; continue; }
      return;
    }
  }
  // item := name ('/' name)* ['(' list ')']
  void item(node& into) {
    node* at = &into;
    for (;;) {
      size_t start = i;
      while (i < s.size() && s[i] != ',' && s[i] != '/' && s[i] != '(' && s[i] != ')') ++i;
      std::string name{s.substr(start, i - start)};
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (name.empty()) { ok = false; return; }
      at = &at->kids[name];
      if (i < s.size() && s[i] == '/') { ++i; continue; }
      break;
    }
    if (i < s.size() && s[i] == '(') {
      ++i;
      list(*at);
      if (!ok || i >= s.size() || s[i] != ')') { ok = false; return; }
      ++i;
    } else if (at->kids.empty()) {
      at->all = true;
    }
  }
};

json pick(const json& v, const node& n) {
  if (n.all || n.kids.empty()) return v;
  if (v.is_array()) {
    json out = json::array();
    for (const auto& e : v) out.push_back(pick(e, n));
    return out;
  }
  if (!v.is_object()) return v;
  json out = json::object();
  for (const auto& [k, kid] : n.kids) {
    if (k == "*") {
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = pick(it.value(), kid);
    } else if (auto it = v.find(k); it != v.end()) {
      out[k] = pick(*it, kid);
    }
  }
  return out;
}

} // namespace

gc::result<json> apply_fields(const json& value, std::string_view fields) {
  node root;
  parser p{fields};
  p.list(root);
  if (!p.ok || p.i != fields.size())
    return gc::error{"invalid_argument", "Invalid field selection " + std::string{fields}};
  return pick(value, root);
}

} // namespace gc::sim

#include "mime/html_text.hpp"

#include "mime/parse.hpp"
#include "mime/text_writer.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace gc::mime {
namespace {

constexpr int max_nesting = 512;

bool ascii_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool in(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

// Offset where approximate tag nesting first exceeds max_nesting (html.size() if never).
// Void elements and elements whose end tag is usually implied do not count.
size_t depth_cut(std::string_view h) {
  int depth = 0;
  size_t i = 0;
  while ((i = h.find('<', i)) != std::string_view::npos) {
    if (h.substr(i, 4) == "<!--") {
      auto e = h.find("-->", i + 4);
      if (e == std::string_view::npos) break;
      i = e + 3;
      continue;
    }
    size_t start = i++;
    bool closing = i < h.size() && h[i] == '/';
    if (closing) ++i;
    std::string name;
    while (i < h.size() && name.size() < 16 && (std::isalnum(static_cast<unsigned char>(h[i])))) name += lower(h[i++]);
    auto gt = h.find('>', i);
    if (name.empty()) continue;
    bool self_closing = gt != std::string_view::npos && gt > 0 && h[gt - 1] == '/';
    if (closing) {
      depth = std::max(0, depth - 1);
    } else if (name == "script" || name == "style") {
      auto e = h.find("</" + name, i);
      if (e == std::string_view::npos) break;
      i = e;
    } else if (!self_closing &&
               !in(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                          "param", "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "option",
                          "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup",
                          "caption", "rb", "rt", "rp"})) {
      if (++depth > max_nesting) return start;
    }
  }
  return h.size();
}

struct gumbo_out {
  GumboOutput* out;
  ~gumbo_out() { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};

struct frame {
  GumboNode* node;
  unsigned next = 0;
  size_t link_start = std::string::npos;
};

const GumboVector* children_of(GumboNode* n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) return &n->v.element.children;
  return nullptr;
}

std::string attr(GumboNode* n, const char* name) {
  GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  if (!a || !a->value) return {};
  std::string v = a->value;
  size_t b = 0, e = v.size();
  while (b < e && ascii_ws(v[b])) ++b;
  while (e > b && ascii_ws(v[e - 1])) --e;
  return v.substr(b, e - b);
}

bool printable_href(const std::string& href) {
  std::string l;
  for (char c : href.substr(0, 8)) l += lower(c);
  return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0 || l.rfind("mailto:", 0) == 0 ||
         l.rfind("ftp://", 0) == 0;
}

std::string bare(std::string s) {   // for comparing link text with the url
  if (s.size() >= 7 && std::equal(s.begin(), s.begin() + 7, "mailto:", [](char a, char b) { return lower(a) == b; }))
    s = s.substr(7);
  while (!s.empty() && (s.back() == '/' || ascii_ws(s.back()))) s.pop_back();
  size_t b = 0;
  while (b < s.size() && ascii_ws(s[b])) ++b;
  return s.substr(b);
}

class converter {
public:
  std::string run(GumboNode* root) {
    std::vector<frame> stack;
    stack.push_back({root});
    enter(stack.back());
    while (!stack.empty()) {
      frame& f = stack.back();
      const GumboVector* kids = children_of(f.node);
      if (kids && !skipped(f.node) && f.next < kids->length) {
        auto* child = static_cast<GumboNode*>(kids->data[f.next++]);
        stack.push_back({child});
        enter(stack.back());
        continue;
      }
      leave(f);
      stack.pop_back();
    }
    return w_.finish();
  }

private:
  static bool skipped(GumboNode* n) {
    if (n->type != GUMBO_NODE_ELEMENT) return false;
    switch (n->v.element.tag) {
      case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE:
      case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
        return true;
      default: return false;
    }
  }
  static int block_lines(GumboTag t) {
    switch (t) {
      case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
      case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TABLE:
      case GUMBO_TAG_HR: case GUMBO_TAG_DL: case GUMBO_TAG_PRE:
        return 2;
      case GUMBO_TAG_DIV: case GUMBO_TAG_TR: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
      case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
      case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIGURE:
      case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_MAIN: case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM:
      case GUMBO_TAG_FIELDSET: case GUMBO_TAG_CAPTION: case GUMBO_TAG_BODY: case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
        return 1;
      default: return 0;
    }
  }
  void enter(frame& f) {
    GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      w_.text(n->v.text.text);
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT || skipped(n)) return;
    GumboTag t = n->v.element.tag;
    if (int b = block_lines(t)) w_.block(b);
    if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) w_.block(lists_ == 0 ? 2 : 1);   // nested: no blank line
    switch (t) {
      case GUMBO_TAG_BR: w_.hard_newline(); break;
      case GUMBO_TAG_PRE: ++w_.pre_; break;
      case GUMBO_TAG_UL: case GUMBO_TAG_OL: ++lists_; break;
      case GUMBO_TAG_LI:
        w_.raw(std::string(2 * static_cast<size_t>(std::clamp(lists_ - 1, 0, 8)), ' ') + "- ");
        break;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH: w_.space(); break;
      case GUMBO_TAG_IMG: {
        auto alt = attr(n, "alt");
        if (!alt.empty()) {
          w_.space();
          w_.text(alt);
          w_.space();
        }
        break;
      }
      case GUMBO_TAG_A: f.link_start = w_.pos(); break;
      default: break;
    }
  }
  void leave(frame& f) {
    GumboNode* n = f.node;
    if (n->type != GUMBO_NODE_ELEMENT || skipped(n)) return;
    GumboTag t = n->v.element.tag;
    switch (t) {
      case GUMBO_TAG_PRE: --w_.pre_; break;
      case GUMBO_TAG_UL: case GUMBO_TAG_OL: --lists_; break;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH: w_.space(); break;
      case GUMBO_TAG_A: {
        auto href = attr(n, "href");
        auto text = bare(w_.since(f.link_start));
        if (!text.empty() && printable_href(href) && text != bare(href)) {
          w_.space();
          w_.raw("(" + href + ")");
        }
        break;
      }
      default: break;
    }
    if (int b = block_lines(t)) w_.block(b);
    if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) w_.block(lists_ == 0 ? 2 : 1);
  }
  detail::text_writer w_;
  int lists_ = 0;
};

} // namespace

std::string html_to_text(std::string_view html, std::vector<std::string>* notes) {
  if (html.size() > max_html_for_text) {
    html = html.substr(0, max_html_for_text);
    if (notes) notes->push_back("HTML body over " + std::to_string(max_html_for_text >> 20) + " MiB; text taken from the first part only");
  }
  if (size_t cut = depth_cut(html); cut < html.size()) {
    html = html.substr(0, cut);
    if (notes) notes->push_back("HTML nested deeper than " + std::to_string(max_nesting) + " levels; text cut there");
  }
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;   // parse errors are not collected (no memory or time spent on them)
  gumbo_out g{gumbo_parse_with_options(&opts, html.data(), html.size())};
  if (!g.out) return {};
  return converter{}.run(g.out->document);
}

} // namespace gc::mime

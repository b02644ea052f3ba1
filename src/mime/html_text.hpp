#pragma once
// HTML -> readable plain text with gumbo (a real HTML5 parser, no regex stripping).
//  - script, style, head, title, template, noscript, iframe, object are skipped;
//  - block elements start new lines, <p>/<h1-6>/<blockquote>/<table> paragraphs (blank line);
//  - <br> is a newline, <li> is "- " (indented two spaces per nested list), table cells are
//    separated by a space;
//  - links become "text (url)" for http(s)/mailto/ftp hrefs when the text differs from the url;
//  - <img alt> text is kept; whitespace runs collapse to one space outside <pre>; &nbsp; is a
//    space; zero-width and soft-hyphen characters are dropped; entities are decoded by gumbo.
// Guards: at most max_html_for_text bytes are parsed, and the input is cut where tags nest
// more than 512 levels deep (gumbo's tree building is quadratic in depth); each cut adds a
// note to *notes.
#include <string>
#include <string_view>
#include <vector>

namespace gc::mime {

std::string html_to_text(std::string_view html, std::vector<std::string>* notes = nullptr);

} // namespace gc::mime

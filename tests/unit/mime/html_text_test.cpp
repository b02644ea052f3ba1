#include "mime/html_text.hpp"

#include <catch2/catch.hpp>

using gc::mime::html_to_text;

TEST_CASE("html_to_text: structure", "[mime][html]") {
  CHECK(html_to_text("<p>one</p><p>two</p>") == "one\n\ntwo");
  CHECK(html_to_text("a<br>b<br><br>c") == "a\nb\n\nc");
  CHECK(html_to_text("<div>x</div><div>y</div>") == "x\ny");
  CHECK(html_to_text("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>") == "- a\n  - b\n- c");
  CHECK(html_to_text("<table><tr><td>k</td><td>v</td></tr><tr><td>k2</td><td>v2</td></tr></table>") ==
        "k v\nk2 v2");
  CHECK(html_to_text("<pre>  keep\n    this</pre>after") == "keep\n    this\n\nafter");
}

TEST_CASE("html_to_text: skipped elements, entities, whitespace", "[mime][html]") {
  CHECK(html_to_text("<head><title>t</title><style>x{}</style></head><body>hi</body>") == "hi");
  CHECK(html_to_text("a<script>if (a < b) { x(); }</script>b") == "ab");
  CHECK(html_to_text("a<!-- c -->b") == "ab");
  CHECK(html_to_text("&lt;tag&gt; &amp; &quot;q&quot; &#8364; &euro;") == "<tag> & \"q\" € €");
  CHECK(html_to_text("  lots   of\n\n  space  ") == "lots of space");
  CHECK(html_to_text("a&nbsp;&nbsp;b") == "a b");
  CHECK(html_to_text("pre&zwnj;header&#8203;") == "preheader");
  CHECK(html_to_text("") == "");
}

TEST_CASE("html_to_text: links and images", "[mime][html]") {
  CHECK(html_to_text("<a href=\"https://x.example/a\">docs</a>") == "docs (https://x.example/a)");
  CHECK(html_to_text("<a href=\"https://x.example/\">https://x.example</a>") == "https://x.example");
  CHECK(html_to_text("<a href=\"mailto:a@b.c\">a@b.c</a>") == "a@b.c");
  CHECK(html_to_text("<a href=\"mailto:a@b.c\">write us</a>") == "write us (mailto:a@b.c)");
  CHECK(html_to_text("<a href=\"#top\">top</a>") == "top");
  CHECK(html_to_text("<a href=\"javascript:x()\">x</a>") == "x");
  CHECK(html_to_text("<a href=\"https://t.example/p\"><img src=\"p.gif\"></a>") == "");
  CHECK(html_to_text("<img src=\"cid:x\" alt=\"Logo\">text") == "Logo text");
}

TEST_CASE("html_to_text: pathological input is bounded", "[mime][html]") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep = "start" + deep + "end";
  std::vector<std::string> notes;
  auto t = html_to_text(deep, &notes);   // would take minutes uncut (gumbo is quadratic in depth)
  CHECK(t == "start");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("nested deeper") != std::string::npos);

  std::string broken = "<table><tr><td><b><i><a href='x'><p>unclosed <font><span>";
  for (int i = 0; i < 2000; ++i) broken += "<p>para " + std::to_string(i) + "<li>item";
  auto t2 = html_to_text(broken);
  CHECK(t2.find("para 1999") != std::string::npos);
  CHECK(html_to_text(std::string("\xff\xfe<p>\x80x</p>", 10)).size() > 0);
}

// MIME codecs, the splitter and the renderer of the simulator's data model.
#include "sim/mail_source.hpp"
#include "sim/message_render.hpp"
#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"

#include <catch2/catch.hpp>

using namespace gc::sim;

TEST_CASE("quoted-printable round-trips and keeps lines short", "[sim][model]") {
  std::string text = "Caf\xC3\xA9 = cost\r\ntrailing space \r\n" + std::string(200, 'x') + "\r\n";
  auto enc = qp_encode(text);
  CHECK(qp_decode(enc) == text);
  size_t start = 0;
  while (start < enc.size()) {
    auto e = enc.find("\r\n", start);
    if (e == std::string::npos) e = enc.size();
    CHECK(e - start <= 76);
    start = e + 2;
  }
  CHECK(enc.find("=3D") != std::string::npos);
  CHECK(enc.find("space=20\r\n") != std::string::npos);   // trailing space protected
}

TEST_CASE("RFC 2047 encodes and decodes B, Q and ISO-8859-1 words", "[sim][model]") {
  std::string s = "Réunion investisseurs — Zürich";
  for (char e : {'B', 'Q'}) {
    auto w = rfc2047_encode(s, "UTF-8", e);
    CHECK(w.rfind("=?UTF-8?", 0) == 0);
    CHECK(rfc2047_decode(w) == s);
  }
  auto latin = rfc2047_encode("Rückfragen zum Jahresbericht", "ISO-8859-1", 'Q');
  CHECK(latin.find("=FC") != std::string::npos);
  CHECK(rfc2047_decode(latin) == "Rückfragen zum Jahresbericht");
  // long text is split into several words, none longer than 75 characters
  auto long_w = rfc2047_encode(std::string(40, 'a') + "ü" + std::string(60, 'b'), "UTF-8", 'B');
  CHECK(long_w.find(' ') != std::string::npos);
  CHECK(rfc2047_decode("Re: =?utf-8?q?Caf=C3=A9?= =?utf-8?b?IG5leHQ=?= week") == "Re: Café next week");
  CHECK(rfc2047_decode("=?windows-1252?Q?=93quoted=94?=") == "“quoted”");
}

TEST_CASE("header parameters: quoted, RFC 2231 and continuations", "[sim][model]") {
  CHECK(header_main_value("Text/Plain; charset=\"UTF-8\"") == "text/plain");
  CHECK(*header_param("text/plain; charset=\"UTF-8\"", "charset") == "UTF-8");
  CHECK(*header_param("attachment; filename*=UTF-8''B%C3%BCro-Foto.jpg", "filename") == "Büro-Foto.jpg");
  CHECK(*header_param("attachment; filename*0*=UTF-8''%C3%9C; filename*1=bersicht.pdf", "filename") ==
        "Übersicht.pdf");
  CHECK(*header_param("attachment; filename=\"=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?=\"", "filename") == "Übersicht.pdf");
  CHECK_FALSE(header_param("inline", "filename"));
}

TEST_CASE("charsets convert to UTF-8 and back", "[sim][model]") {
  CHECK(to_utf8("\x93hi\x94 \x80", "windows-1252") == "“hi” €");
  CHECK(to_utf8("caf\xE9", "ISO-8859-1") == "café");
  CHECK(from_utf8("café €", "windows-1252") == "caf\xE9 \x80");
  CHECK(from_utf8("ł", "iso-8859-1") == "?");
}

TEST_CASE("render_raw and parse_message agree on a nested tree", "[sim][model]") {
  mail_part root;
  root.headers = {{"Subject", "=?UTF-8?B?w5xiZXJzaWNodA==?="}, {"Message-ID", "<a@b>"},
                  {"Content-Type", "multipart/mixed; boundary=\"outer\""}};
  mail_part alt;
  alt.headers = {{"Content-Type", "multipart/alternative; boundary=\"inner\""}};
  mail_part txt, html, pdf, msg, inner;
  txt.headers = {{"Content-Type", "text/plain; charset=\"ISO-8859-1\""}, {"Content-Transfer-Encoding", "quoted-printable"}};
  txt.body = "Gr\xFC\xDF Gott\r\n";
  html.headers = {{"Content-Type", "text/html; charset=\"UTF-8\""}, {"Content-Transfer-Encoding", "base64"}};
  html.body = "<p>Grüß Gott</p>\r\n";
  pdf.headers = {{"Content-Type", "application/pdf; name=\"a.pdf\""}, {"Content-Transfer-Encoding", "base64"},
                 {"Content-Disposition", "attachment; filename=\"a.pdf\""}};
  pdf.body = std::string("%PDF-1.4\n\0\x01\xFF", 13);
  inner.headers = {{"Subject", "inner"}, {"Content-Type", "text/plain"}};
  inner.body = "forwarded\r\n";
  msg.headers = {{"Content-Type", "message/rfc822"}};
  msg.parts = {inner};
  alt.parts = {txt, html};
  root.parts = {alt, pdf, msg};
  auto raw = render_raw(root);
  auto back = parse_message(raw);
  CHECK(render_raw(back) == raw);
  REQUIRE(back.parts.size() == 3);
  CHECK(back.parts[0].parts[0].body == txt.body);
  CHECK(back.parts[0].parts[1].body == html.body);
  CHECK(back.parts[1].body == pdf.body);
  CHECK(back.parts[1].filename() == "a.pdf");
  REQUIRE(back.parts[2].is_message());
  CHECK(back.parts[2].parts[0].body == "forwarded\r\n");
  CHECK(find_part(back, "0.1")->mime_type() == "text/html");
  CHECK(find_part(back, "2.0")->header_or("Subject") == "inner");
  CHECK(find_part(back, "3") == nullptr);
  CHECK(make_snippet(back) == "Grüß Gott");
}

TEST_CASE("long headers are folded and unfolded losslessly", "[sim][model]") {
  std::string refs;
  for (int i = 0; i < 8; ++i) refs += (i ? " " : "") + std::string("<ref") + std::to_string(i) + "@mail.example.com>";
  auto line = fold_header("References", refs);
  CHECK(line.find("\r\n ") != std::string::npos);
  auto p = parse_message(line + "\r\nbody");
  CHECK(p.header_or("References") == refs);
  CHECK(p.body == "body");
}

TEST_CASE("mbox splitting, LF files and dates", "[sim][model]") {
  std::string mbox = "From a@x Thu Jan  1 00:00:00 2024\nSubject: one\n\n>From here\nbody\n\n"
                     "From b@y Thu Jan  1 00:00:00 2024\nSubject: two\n\nsecond\n";
  auto msgs = split_mbox(mbox);
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0] == "Subject: one\n\nFrom here\nbody\n");
  auto p = parse_message(to_crlf(msgs[1]));
  CHECK(p.header_or("Subject") == "two");
  CHECK(p.body == "second\r\n");
  CHECK(*parse_rfc822_date("Thu, 1 Jan 1970 01:00:00 +0100") == 0);
  CHECK(*parse_rfc822_date("Tue, 31 Dec 2024 23:59:59 -0000") == 1735689599000);
  CHECK(*parse_rfc822_date("1 Mar 2024 10:00 PST") == 1709316000000);
  CHECK(normalize_subject("Re: FWD: re:  Hello") == "hello");
  CHECK(address_list("\"Doe, J\" <J@X.example>, b@y.example") ==
        std::vector<std::string>{"j@x.example", "b@y.example"});
}

TEST_CASE("rendered views are kept, dropped oldest first past the budget, and re-rendered alike", "[sim][model]") {
  mail_store s;
  std::string a = "Subject: one\r\nMessage-ID: <a@x>\r\n\r\nfirst body\r\n";
  std::string b = "Subject: two\r\nMessage-ID: <b@x>\r\n\r\nsecond body, a little longer\r\n";
  s.add_raw(a);
  s.add_raw(b);
  s.set_view_budget(b.size() + 1);   // room for one view at a time

  auto va = s.view(0);
  CHECK(va->raw_size == a.size());
  CHECK(va->snippet == "first body");
  CHECK(va->tree.header_or("Subject") == "one");
  CHECK(s.view(0) == va);            // kept: the same object, not a re-render

  auto vb = s.view(1);
  CHECK(vb->raw_size == b.size());
  CHECK(s.view(1) == vb);
  auto va2 = s.view(0);              // a's view was dropped for b's: rendered anew
  CHECK(va2 != va);
  CHECK(va2->raw_size == va->raw_size);
  CHECK(va2->snippet == va->snippet);
  CHECK(va2->tree.body == va->tree.body);
  CHECK(s.view(1) != vb);            // and b's for a's
}

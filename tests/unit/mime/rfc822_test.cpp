#include "fixtures.hpp"
#include "mime/parse.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace gc::mime;
namespace mail = gc::test::mail;

namespace {

message parse_ok(const std::string& raw) {
  auto r = parse_rfc822(raw);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  return std::move(r).value();
}

bool has_warning(const message& m, const std::string& needle) {
  return std::any_of(m.parse_warnings.begin(), m.parse_warnings.end(),
                     [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

const attachment* find_att(const message& m, const std::string& part_id) {
  for (auto& a : m.attachments)
    if (a.part_id == part_id) return &a;
  return nullptr;
}

} // namespace

TEST_CASE("RFC 2047 headers, groups, IDN and threading", "[mime][rfc822]") {
  for (const auto& raw : {mail::headers_2047, mail::crlf(mail::headers_2047)}) {
    auto m = parse_ok(raw);
    CHECK(m.subject == "Hello über wörld and café");
    REQUIRE(m.from);
    CHECK(m.from->name == "André Pirard");
    CHECK(m.from->email == "pirard@vm1.ulg.ac.be");
    CHECK(m.from->email_raw == "PIRARD@vm1.ULG.ac.be");
    REQUIRE(m.to.size() == 2);
    CHECK(m.to[0].name == "Jörg");
    CHECK(m.to[0].email == "joerg@bücher.example");   // IDN domain as UTF-8
    CHECK(m.to[1].email == "lead@example.com");
    REQUIRE(m.cc.size() == 3);                            // group flattened + one plain
    CHECK(m.cc[0].email == "alice@x.example");
    CHECK(m.cc[0].group == "Team");
    CHECK(m.cc[1].name == "Bob");
    CHECK(m.cc[1].group == "Team");
    CHECK(m.cc[2].email == "carol@z.example");
    CHECK(m.cc[2].group.empty());
    CHECK(m.bcc.empty());                                 // undisclosed-recipients:;
    REQUIRE(m.reply_to.size() == 1);
    CHECK(m.reply_to[0].name == "Support ✓");
    CHECK(m.message_id_raw == "<ABC.123@Mail.Example.COM>");
    CHECK(m.message_id == "ABC.123@mail.example.com");   // local part keeps its case
    CHECK(m.in_reply_to == "parent@example.com");
    CHECK(m.references == std::vector<std::string>{"root@example.com", "parent@example.com"});
    CHECK(m.date == std::optional<std::string>("2020-02-14T03:02:00.000Z"));
    CHECK(m.text_body == "Grüße aus Köln.\n");
    CHECK_FALSE(m.text_from_html);
    CHECK(m.attachments.empty());
    CHECK_FALSE(m.automated);
  }
}

TEST_CASE("malformed encoded words and unknown header charsets do not break the subject", "[mime][rfc822]") {
  auto m = parse_ok(mail::malformed_words);
  CHECK(m.subject.find("broken") != std::string::npos);
  CHECK(m.subject.find("end") != std::string::npos);
  CHECK(m.subject.find("abcé") != std::string::npos);
  CHECK(has_warning(m, "unknown charset x-unknown-cs"));
}

TEST_CASE("8-bit header bytes and an unknown body charset fall back to windows-1252", "[mime][rfc822]") {
  auto m = parse_ok(mail::eight_bit_header);
  CHECK(m.subject == "Café crème");
  REQUIRE(m.from);
  CHECK(m.from->name == "été");
  CHECK(m.text_body == "naïve body\n");
  CHECK(has_warning(m, "unknown charset x-foo"));
  CHECK(has_warning(m, "treated as windows-1252"));
}

TEST_CASE("RFC 2231 continued filename and RFC 2047 in a name parameter", "[mime][rfc822]") {
  auto m = parse_ok(mail::rfc2231);
  CHECK(m.text_body == "See attached.");
  REQUIRE(m.attachments.size() == 2);
  auto& pdf = m.attachments[0];
  CHECK(pdf.part_id == "1");
  CHECK(pdf.filename == "Quarterly Report — Q3.pdf");
  CHECK(pdf.mime_type == "application/pdf");
  CHECK(pdf.disposition == "attachment");
  REQUIRE(pdf.data);
  CHECK(pdf.data->rfind("%PDF-1.4", 0) == 0);
  CHECK(pdf.size == static_cast<int64_t>(pdf.data->size()));
  CHECK(m.attachments[1].filename == "notiz über.txt");
  CHECK(m.attachments[1].mime_type == "text/plain");   // a named text part is an attachment
}

TEST_CASE("windows-1252 and latin-1 quoted-printable bodies", "[mime][rfc822]") {
  auto m = parse_ok(mail::cp1252_qp);
  CHECK(m.text_body ==
        "Price: € 100, “quoted” and it’s café. A long line that is soft-wrapped.\n"
        "Latin-1 label: € café");
}

TEST_CASE("ISO-2022-JP and Shift_JIS", "[mime][rfc822]") {
  auto m = parse_ok(mail::japanese);
  CHECK(m.subject == "会議");
  REQUIRE(m.from);
  CHECK(m.from->name == "会議");
  CHECK(m.text_body == "こんにちは、世界。テスト\nこんにちは、世界。テスト");
}

TEST_CASE("HTML-only mail is turned into readable text", "[mime][rfc822][html]") {
  auto m = parse_ok(mail::html_only);
  CHECK(m.text_from_html);
  CHECK(m.html_body.find("<h1>") != std::string::npos);
  CHECK(m.text_body ==
        "Fund Update\n\n"
        "Café & crème <3>\n\n"
        "- First\n"
        "- Second bold\n\n"
        "Visit our deal room (https://example.com/deal) or https://example.com.\n"
        "Line two\n"
        "Line three\n\n"
        "spaced out text");
  CHECK(m.list_id == "news.example.com");
  CHECK(m.has_list_unsubscribe);
  CHECK(m.precedence == "bulk");
  CHECK(m.automated);
}

TEST_CASE("multipart/alternative prefers text/plain and keeps the HTML", "[mime][rfc822]") {
  auto m = parse_ok(mail::alternative);
  CHECK(m.text_body == "The plain version.");
  CHECK(m.html_body == "<p>The <b>HTML</b> version.</p>");
  CHECK_FALSE(m.text_from_html);
  CHECK(m.attachments.empty());
}

TEST_CASE("multipart/related: cid image is an inline attachment", "[mime][rfc822]") {
  auto m = parse_ok(mail::related);
  CHECK(m.text_body == "See the logo.");
  CHECK(m.html_body.find("cid:logo@example.com") != std::string::npos);
  REQUIRE(m.attachments.size() == 2);
  auto* img = find_att(m, "0.1.1");
  REQUIRE(img);
  CHECK(img->mime_type == "image/png");
  CHECK(img->content_id == "logo@example.com");
  CHECK(img->disposition == "inline");
  CHECK(img->filename.empty());
  CHECK(img->size == 8);
  auto* bin = find_att(m, "1");
  REQUIRE(bin);
  CHECK(bin->filename == "data.bin");
  CHECK(bin->disposition == "attachment");
  CHECK(bin->data == std::optional<std::string>(std::string("\x00\x01\x02\x03", 4)));
}

TEST_CASE("forwarded message/rfc822 with its own attachment", "[mime][rfc822]") {
  auto m = parse_ok(mail::forwarded);
  CHECK(m.text_body == "See below.");   // not the inner text
  REQUIRE(m.attachments.size() == 2);
  auto& fwd = m.attachments[0];
  CHECK(fwd.part_id == "1");
  CHECK(fwd.mime_type == "message/rfc822");
  CHECK(fwd.disposition == "attachment");
  CHECK(fwd.filename == "term sheet.eml");
  REQUIRE(fwd.embedded);
  CHECK(fwd.embedded->subject == "term sheet");
  CHECK(fwd.embedded->message_id == "Inner@founder.example");
  REQUIRE(fwd.embedded->from);
  CHECK(fwd.embedded->from->name == "Zoë");
  CHECK(fwd.embedded->from->email == "zoe@founder.example");
  CHECK(fwd.embedded->date == std::optional<std::string>("2022-03-01T08:00:00.000Z"));
  REQUIRE(fwd.data);
  CHECK(fwd.data->find("Subject: term sheet") != std::string::npos);
  auto& pdf = m.attachments[1];
  CHECK(pdf.part_id == "1.0.1");
  CHECK(pdf.filename == "terms.pdf");
  CHECK(pdf.data == std::optional<std::string>("%PDF-1.4\n"));
}

TEST_CASE("missing Message-ID: fallback_key is stable and content-specific", "[mime][rfc822]") {
  auto a1 = parse_ok(mail::no_id_a);
  auto a2 = parse_ok(mail::crlf(mail::no_id_a));   // same mail, other line ends
  auto b = parse_ok(mail::no_id_b);
  CHECK(a1.message_id.empty());
  CHECK(a1.message_id_raw.empty());
  CHECK(has_warning(a1, "no Message-ID"));
  auto k = fallback_key(a1);
  CHECK(k.rfind("sha256:", 0) == 0);
  CHECK(k.size() == 7 + 64);
  CHECK(k == fallback_key(a2));
  CHECK(k == fallback_key(parse_ok(mail::no_id_a)));
  CHECK(k != fallback_key(b));
  // Recipient order does not matter; the Bcc copy difference does not matter.
  auto reordered = mail::no_id_a;
  reordered.replace(reordered.find("To: Zed <zed@example.com>, bob@example.com"), 42,
                    "To: bob@example.com, Zed <ZED@example.com>");
  reordered.insert(reordered.find("Subject:"), "Bcc: secret@example.com\n");
  CHECK(fallback_key(parse_ok(reordered)) == k);
}

TEST_CASE("broken Date gives null and a warning", "[mime][rfc822]") {
  auto m = parse_ok(mail::broken_date);
  CHECK_FALSE(m.date);
  CHECK(m.date_raw == "sometime next week, probably");
  CHECK(has_warning(m, "broken Date header"));
  CHECK(gc::mime::to_json(m)["date"].is_null());
}

TEST_CASE("empty bodies", "[mime][rfc822]") {
  auto m = parse_ok(mail::empty_body);
  CHECK(m.text_body.empty());
  CHECK(m.html_body.empty());
  CHECK(m.attachments.empty());
  auto bare = parse_ok("From: a@example.com\nSubject: nothing\n\n");
  CHECK(bare.subject == "nothing");
  CHECK(bare.text_body.empty());
}

TEST_CASE("Message-ID normalization", "[mime]") {
  CHECK(normalize_message_id("<ABC@Example.COM>") == "ABC@example.com");
  CHECK(normalize_message_id("  <x@Y>  (comment)") == "x@y");
  CHECK(normalize_message_id("abc@DEF") == "abc@def");
  CHECK(normalize_message_id("<a@b@C.D>") == "a@b@c.d");
  CHECK(normalize_message_id("<no-at-sign>") == "no-at-sign");
  CHECK(normalize_message_id("").empty());
  CHECK(normalize_message_id("<>").empty());
  CHECK(normalize_message_id("<a b@c>").empty());
  CHECK(normalize_message_id("garbage @@ <").empty());
  CHECK(normalize_message_id(std::string(2000, 'x')).empty());
}

TEST_CASE("to_json has every canonical field", "[mime]") {
  auto m = parse_ok(mail::forwarded);
  auto j = gc::mime::to_json(m);
  for (auto key : {"message_id", "message_id_raw", "in_reply_to", "references", "subject", "from", "to",
                   "cc", "bcc", "reply_to", "date", "date_raw", "internal_date_ms", "text_body",
                   "html_body", "attachments", "list_id", "auto_submitted", "precedence", "automated",
                   "parse_warnings", "fallback_key", "label_ids"})
    CHECK(j.contains(key));
  CHECK(j["attachments"][1]["sha256"].get<std::string>().size() == 64);
  CHECK_FALSE(j["attachments"][1].contains("data"));
  CHECK(gc::mime::to_json(m, true)["attachments"][1]["data"] == "JVBERi0xLjQK");
  CHECK(j["attachments"][0]["embedded"]["subject"] == "term sheet");
}

#include "core/encoding.hpp"
#include "core/json_parse.hpp"
#include "fixtures.hpp"
#include "gmail_json_builder.hpp"
#include "mime/gmail_input.hpp"
#include "mime/parse.hpp"
#include "support/gmail_input_same.hpp"

#include <catch2/catch.hpp>

using namespace gc::mime;
using gc::json;
namespace mail = gc::test::mail;

namespace {

message parse_json_ok(const json& j) {
  auto r = parse_gmail_json(j);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  return std::move(r).value();
}

// The canonical fields both paths must agree on (not warnings: GMime's parser reports things
// the JSON path never sees; not the Gmail-only fields).
json canonical(const message& m, bool with_bytes) {
  auto j = to_json(m);
  for (auto k : {"parse_warnings", "gmail_id", "gmail_thread_id", "history_id", "snippet", "label_ids",
                 "internal_date_ms"})
    j.erase(k);
  for (auto& a : j["attachments"]) {
    a.erase("gmail_attachment_id");
    if (!with_bytes) {
      a.erase("has_data");
      a.erase("sha256");
    }
  }
  return j;
}

const std::string* all_fixtures[] = {
    &mail::headers_2047, &mail::malformed_words, &mail::rfc2231, &mail::cp1252_qp, &mail::japanese,
    &mail::html_only, &mail::alternative, &mail::related, &mail::forwarded, &mail::no_id_a,
    &mail::broken_date, &mail::empty_body, &mail::eight_bit_header};

} // namespace

TEST_CASE("Gmail JSON path gives the same canonical message as the raw path", "[mime][gmail_json]") {
  for (auto* raw : all_fixtures) {
    auto from_raw = parse_rfc822(*raw);
    REQUIRE(from_raw);
    for (bool by_id : {false, true})
      for (bool padded : {true, false}) {
        auto j = gc::test::gmail_json_from_raw(*raw, {by_id, false, padded});
        auto from_json = parse_json_ok(j);
        INFO("fixture subject: " << from_raw->subject << " by_id=" << by_id << " padded=" << padded);
        CHECK(canonical(from_json, !by_id).dump(2) == canonical(*from_raw, !by_id).dump(2));
        CHECK(fallback_key(from_json) == fallback_key(*from_raw));
      }
  }
}

TEST_CASE("without bodies the Gmail JSON path gives the same message minus the bodies", "[mime][gmail_json]") {
  for (auto* raw : all_fixtures) {
    auto j = gc::test::gmail_json_from_raw(*raw, {true, false, true});
    auto full = parse_json_ok(j);
    auto lean = parse_gmail_json(j, {.bodies = false});
    REQUIRE(lean);
    INFO("fixture subject: " << full.subject);
    CHECK(lean->text_body.empty());
    CHECK(lean->html_body.empty());
    auto a = canonical(full, false), b = canonical(*lean, false);
    // mime::fallback_key hashes the text body; the store's dedup key (core::dedup_key) does not.
    for (auto* k : {"text_body", "html_body", "text_from_html", "fallback_key"}) {
      a.erase(k);
      b.erase(k);
    }
    CHECK(b.dump(2) == a.dump(2));  // headers, addresses, ids, dates, attachments and sizes
  }
}

TEST_CASE("the participants that decide the bodies are the parser's own, read once", "[mime][gmail_json]") {
  auto same = [](const std::vector<address>& a, const std::vector<address>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].email == b[i].email);
      CHECK(a[i].name == b[i].name);
      CHECK(a[i].group == b[i].group);
    }
  };
  // The participants bodies_if saw, and the message parsed with the bodies it chose.
  auto parse_deciding = [](const json& j, bool want) {
    std::optional<participants> seen;
    auto m = parse_gmail_json(j, {.bodies_if = [&](const participants& p) {
      seen = p;
      return want;
    }});
    return std::pair{std::move(seen), std::move(m)};
  };
  size_t addresses = 0;
  for (auto* raw : all_fixtures) {
    auto j = gc::test::gmail_json_from_raw(*raw, {true, false, true});
    auto whole = parse_json_ok(j);
    INFO("fixture subject: " << whole.subject);
    for (bool want : {true, false}) {
      auto [p, m] = parse_deciding(j, want);
      REQUIRE(p);
      REQUIRE(m);
      REQUIRE(p->from.has_value() == whole.from.has_value());
      if (whole.from) CHECK(p->from->email == whole.from->email);
      same(p->to, whole.to);
      same(p->cc, whole.cc);
      same(p->bcc, whole.bcc);
      same(m->to, whole.to);
      same(m->cc, whole.cc);
      same(m->bcc, whole.bcc);
      // The addresses taken from the first read leave the warnings as one pass gives them.
      auto lean = parse_gmail_json(j, {.bodies = want});
      REQUIRE(lean);
      CHECK(m->parse_warnings == lean->parse_warnings);
      CHECK(m->text_body == lean->text_body);
      CHECK(m->html_body == lean->html_body);
      if (!want) CHECK((m->text_body.empty() && m->html_body.empty()));
    }
    addresses += whole.to.size() + whole.cc.size() + whole.bcc.size() + (whole.from ? 1 : 0);
  }
  CHECK(addresses > 20);  // the fixtures carry groups, encoded names, IDN, duplicated headers

  // Hand-written: lower-case names, a second Cc header, an encoded display name, upper case,
  // and address headers that warn (an unknown charset, a broken list) between other warnings.
  json j = {{"payload", {{"mimeType", "multipart/mixed"},
                         {"headers", {{{"name", "from"}, {"value", "=?UTF-8?B?SsO8cmdlbg==?= <J@Fund.Example>"}},
                                      {{"name", "CC"}, {"value", "a@x.example"}},
                                      {{"name", "Cc"}, {"value", "Team: b@y.example, c@z.example;"}},
                                      {{"name", "Bcc"}, {"value", "=?x-nonsense?Q?D?= <d@w.example>"}},
                                      {{"name", "To"}, {"value", "=?x-nonsense?Q?E?= <e@v.example>, <<>>"}},
                                      {{"name", "Sender"}, {"value", "=?x-other?Q?S?= <s@u.example>"}}}},
                         {"parts", {{{"mimeType", "text/plain"}, {"body", {{"data", "aGk"}}}}}}}}};
  auto [p, m] = parse_deciding(j, true);
  REQUIRE(p);
  REQUIRE(p->from);
  CHECK(p->from->email == "j@fund.example");
  CHECK(p->from->name == "J\u00fcrgen");
  REQUIRE(p->cc.size() == 3);
  CHECK(p->cc[1].group == "Team");
  CHECK(p->bcc.size() == 1);
  CHECK(p->to.size() >= 1);
  REQUIRE(m);
  auto lean = parse_gmail_json(j);
  REQUIRE(lean);
  CHECK(m->parse_warnings == lean->parse_warnings);
  CHECK(m->parse_warnings.size() >= 2);
  CHECK(m->text_body == "hi");

  // format=raw is parsed whole: nothing to decide.
  bool asked = false;
  auto r = parse_gmail_json(json{{"raw", "RnJvbTogYUBiLmV4YW1wbGUNCg0KaGk"}}, {.bodies_if = [&](const participants&) {
    asked = true;
    return false;
  }});
  REQUIRE(r);
  CHECK_FALSE(asked);
  CHECK(r->text_body == "hi");
}

TEST_CASE("Gmail JSON with pre-decoded header values", "[mime][gmail_json]") {
  for (auto* raw : {&mail::headers_2047, &mail::forwarded, &mail::japanese}) {
    auto from_raw = parse_rfc822(*raw);
    REQUIRE(from_raw);
    auto from_json = parse_json_ok(gc::test::gmail_json_from_raw(*raw, {false, true, true}));
    CHECK(from_json.subject == from_raw->subject);
    REQUIRE(from_json.from);
    CHECK(from_json.from->name == from_raw->from->name);
    CHECK(from_json.from->email == from_raw->from->email);
    CHECK(canonical(from_json, true)["to"] == canonical(*from_raw, true)["to"]);
  }
}

TEST_CASE("Gmail metadata and attachment ids", "[mime][gmail_json]") {
  auto m = parse_json_ok(gc::test::gmail_json_from_raw(mail::forwarded, {true, false, true}));
  CHECK(m.gmail_id == "18f4c6b280d6f124");
  CHECK(m.gmail_thread_id == "18f4c6b280d6f100");
  CHECK(m.history_id == "987654");
  CHECK(m.internal_date_ms == std::optional<int64_t>(1646211600000));
  CHECK(m.label_ids == std::vector<std::string>{"INBOX", "UNREAD"});
  CHECK(m.snippet == "snippet text");
  REQUIRE(m.attachments.size() == 2);
  CHECK(m.attachments[0].gmail_attachment_id == "ATT_1");
  CHECK_FALSE(m.attachments[0].data);
  REQUIRE(m.attachments[0].embedded);   // summarized from the JSON child even without bytes
  CHECK(m.attachments[0].embedded->subject == "term sheet");
  CHECK(m.attachments[1].gmail_attachment_id == "ATT_1.0.1");
  CHECK(m.attachments[1].size == 9);
  CHECK(m.text_body == "See below.");
}

TEST_CASE("hand-written Gmail payload: lower-case header names, numbers, unpadded data", "[mime][gmail_json]") {
  auto text = gc::core::base64url_encode("caf\xe9 \x80", false);   // windows-1252 bytes
  json j = {
      {"id", "abc"},
      {"internalDate", 1700000000123},
      {"payload",
       {{"partId", ""},
        {"mimeType", "multipart/mixed"},
        {"filename", ""},
        {"headers",
         {{{"name", "from"}, {"value", "=?UTF-8?Q?Ren=C3=A9?= <Rene@Example.com>"}},
          {{"name", "SUBJECT"}, {"value", "=?utf-8?B?w6l0w6k=?="}},
          {{"name", "message-id"}, {"value", "<X@Y.Z>"}},
          {{"name", "date"}, {"value", "Fri, 17 Nov 2023 22:13:20 +0000"}}}},
        {"body", {{"size", 0}}},
        {"parts",
         {{{"partId", "0"},
           {"mimeType", "text/plain"},
           {"filename", ""},
           {"headers", {{{"name", "content-type"}, {"value", "text/plain; charset=\"windows-1252\""}}}},
           {"body", {{"size", 6}, {"data", text}}}},
          {{"partId", "1"},
           {"mimeType", "application/pdf"},
           {"filename", "deck.pdf"},
           {"headers", {{{"name", "Content-Disposition"}, {"value", "attachment"}}}},
           {"body", {{"attachmentId", "ANGjdJ_x"}, {"size", 123456}}}},
          {{"partId", "2"},
           {"mimeType", "text/html"},
           {"filename", ""},
           {"headers", json::array()},
           {"body", {{"attachmentId", "BIG_HTML"}, {"size", 5000000}}}}}}}}};
  auto m = parse_json_ok(j);
  CHECK(m.internal_date_ms == std::optional<int64_t>(1700000000123));
  CHECK(m.subject == "été");
  REQUIRE(m.from);
  CHECK(m.from->name == "René");
  CHECK(m.from->email == "rene@example.com");
  CHECK(m.message_id == "X@y.z");
  CHECK(m.date == std::optional<std::string>("2023-11-17T22:13:20.000Z"));
  CHECK(m.text_body == "café €");
  REQUIRE(m.attachments.size() == 2);
  CHECK(m.attachments[0].filename == "deck.pdf");
  CHECK(m.attachments[0].size == 123456);
  CHECK(m.attachments[0].gmail_attachment_id == "ANGjdJ_x");
  CHECK_FALSE(m.attachments[0].data);
  CHECK(m.attachments[1].mime_type == "text/html");   // body not inline: listed to be fetched
  CHECK(m.attachments[1].gmail_attachment_id == "BIG_HTML");
  bool warned = false;
  for (auto& w : m.parse_warnings) warned = warned || w.find("not inline") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("Gmail format=raw responses are decoded and parsed", "[mime][gmail_json]") {
  json j = {{"id", "r1"}, {"threadId", "t1"}, {"internalDate", "5"},
            {"raw", gc::core::base64url_encode(mail::alternative, false)}};
  auto m = parse_json_ok(j);
  CHECK(m.text_body == "The plain version.");
  CHECK(m.gmail_id == "r1");
  CHECK(m.internal_date_ms == std::optional<int64_t>(5));
}

TEST_CASE("message/rfc822 with inline bytes and no parts is parsed from the bytes", "[mime][gmail_json]") {
  auto inner = std::string("From: z@example.com\nSubject: inner\nMessage-ID: <i@x>\n\nhello\n");
  json j = {{"payload",
             {{"mimeType", "multipart/mixed"},
              {"headers", {{{"name", "Subject"}, {"value", "outer"}}}},
              {"parts",
               {{{"mimeType", "message/rfc822"},
                 {"body", {{"data", gc::core::base64url_encode(inner)}, {"size", inner.size()}}}}}}}}};
  auto m = parse_json_ok(j);
  REQUIRE(m.attachments.size() == 1);
  CHECK(m.attachments[0].part_id == "0");
  REQUIRE(m.attachments[0].embedded);
  CHECK(m.attachments[0].embedded->subject == "inner");
  CHECK(m.attachments[0].data == std::optional<std::string>(inner));
}

TEST_CASE("malformed Gmail JSON gives errors or warnings, never a throw", "[mime][gmail_json]") {
  CHECK_FALSE(parse_gmail_json(json::array()));
  CHECK_FALSE(parse_gmail_json(json("text")));
  CHECK_FALSE(parse_gmail_json(json::object()));
  CHECK_FALSE(parse_gmail_json(json{{"raw", "@@@ not base64"}}));
  CHECK_FALSE(parse_gmail_json(json{{"raw", ""}}));
  auto r = parse_gmail_json(json{{"payload", {{"mimeType", 5}, {"headers", "x"}, {"parts", {1, "two", nullptr}},
                                              {"body", {{"data", "!!"}, {"size", "big"}}}}},
                                 {"internalDate", "soon"}, {"labelIds", {1, "X"}}});
  REQUIRE(r);
  CHECK_FALSE(r->internal_date_ms);
  CHECK(r->label_ids == std::vector<std::string>{"X"});
  CHECK_FALSE(r->parse_warnings.empty());
}

// ---- the direct reader (mime/gmail_input.hpp) against the parsed way -----------------------

namespace {

// The direct reader's input for `text`, which must be accepted and read as the parsed way reads.
gmail_message_in read_as_parsed(const std::string& text) {
  auto direct = read_gmail_message(text);
  REQUIRE(direct);
  const auto parsed = gc::parse_json(text);
  REQUIRE(parsed.is_object());
  CHECK(gc::test::gmail_input_diff(*direct, gmail_input_from_json(parsed)) == "");
  return std::move(*direct);
}

std::string whole(const gc::result<message>& m) {
  REQUIRE(m);
  return to_json(*m, true).dump();  // every field, warnings included
}

} // namespace

TEST_CASE("the direct reader reads every fixture as the parsed JSON is read", "[mime][gmail_json]") {
  size_t checked = 0;
  for (auto* raw : all_fixtures)
    for (bool by_id : {false, true})
      for (bool decode : {false, true}) {
        auto j = gc::test::gmail_json_from_raw(*raw, {by_id, decode, !by_id});
        j["sizeEstimate"] = 4321;
        for (int indent : {-1, 2}) {
          // Undecoded 8-bit header bytes are not UTF-8: as text they become U+FFFD, as Gmail's do.
          const auto text = j.dump(indent, ' ', false, json::error_handler_t::replace);
          INFO("by_id=" << by_id << " decode=" << decode << " indent=" << indent << "\n" << text.substr(0, 300));
          auto in = read_as_parsed(text);
          CHECK(in.size_estimate == 4321);
          const auto parsed = gc::parse_json(text);
          for (bool bodies : {true, false})
            CHECK(whole(parse_gmail_input(in, {.bodies = bodies})) == whole(parse_gmail_json(parsed, {.bodies = bodies})));
          ++checked;
        }
      }
  CHECK(checked == std::size(all_fixtures) * 8);
}

TEST_CASE("the direct reader decodes escapes as the parsed JSON does", "[mime][gmail_json]") {
  // Escaped names and values, raw UTF-8, an escaped solidus inside body.data, unknown members
  // of every kind (skipped), numbers given as strings, a part without headers.
  const std::string text = R"({"id":"m\u0031","thr\u0065adId":"t1","labelIds":["INBOX","Label_\"x\""],
    "snippet":"caf\u00e9 \"quoted\" — ünïcode","historyId":1234,"internalDate":"1700000000000",
    "extra":{"a":[1,-2,true,false,null,{"b":"\n"}]},"sizeEstimate":-1,
    "payload":{"partId":"","mimeType":"multipart/mixed","filename":"","x":[],
      "headers":[{"name":"From","value":"\"Lee, J\u00f6rg\" <lee@acme.example>","extra":0},
                 {"name":"Subject","value":"=?UTF-8?Q?caf=C3=A9?= über"},{"value":"no name"},{"name":""}],
      "body":{"size":"0"},
      "parts":[{"partId":"0","mimeType":"text/plain","headers":[{"name":"Content-Type","value":"text/plain; charset=UTF-8"}],
                "body":{"size":3,"data":"aGk\/"}},
               {"partId":"1","mimeType":"application/pdf","filename":"a\u0020b.pdf",
                "body":{"attachmentId":"ANGj\/1","size":"99999999999999999999"}}]}})";
  auto in = read_as_parsed(text);
  CHECK(in.id == "m1");
  CHECK(in.history_id == "1234");
  CHECK(in.internal_date == 1700000000000);
  REQUIRE(in.payload);
  REQUIRE(in.payload->parts.size() == 2);
  CHECK(in.payload->parts[0]->data == "aGk/");
  CHECK_FALSE(in.payload->parts[1]->size);  // beyond int64: unknown, as the parsed way
  CHECK(in.payload->headers.size() == 2);   // the nameless ones are not headers
  CHECK(whole(parse_gmail_input(in)) == whole(parse_gmail_json(gc::parse_json(text))));
}

TEST_CASE("the direct reader keeps part nesting as deep as the parser reads", "[mime][gmail_json]") {
  std::string text = R"({"id":"deep","payload":)";
  const int levels = gmail_input_part_depth + 8;
  for (int i = 0; i < levels; ++i) text += R"({"mimeType":"multipart/mixed","parts":[)";
  text += R"({"mimeType":"text/plain","body":{"data":"aGk"}})";
  for (int i = 0; i < levels; ++i) text += "]}";
  text += "}";
  auto in = read_as_parsed(text);
  CHECK(whole(parse_gmail_input(in)) == whole(parse_gmail_json(gc::parse_json(text))));
}

TEST_CASE("the direct reader reads a thread's messages as the parsed JSON is read", "[mime][gmail_json]") {
  json thread = {{"id", "t1"}, {"historyId", "77"}, {"messages", json::array()}};
  for (auto* raw : {&mail::alternative, &mail::forwarded, &mail::rfc2231}) {
    auto m = gc::test::gmail_json_from_raw(*raw, {true, false, true});
    m["id"] = "m" + std::to_string(thread["messages"].size());
    thread["messages"].push_back(m);
  }
  const auto text = thread.dump();
  auto msgs = read_gmail_thread(text);
  REQUIRE(msgs);
  REQUIRE(msgs->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(gc::test::gmail_input_diff((*msgs)[i], gmail_input_from_json(thread["messages"][i])) == "");
    CHECK(whole(parse_gmail_input((*msgs)[i])) == whole(parse_gmail_json(thread["messages"][i])));
  }
  // Escaped body data is decoded into the message's own storage, which must survive the
  // messages vector growing.
  std::string escaped = R"({"id":"t3","messages":[)";
  for (int i = 0; i < 9; ++i)
    escaped += std::string(i ? "," : "") + R"({"id":"e)" + std::to_string(i) +
               R"(","payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"a@b.example"}],"body":{"data":"aGk\/aGk\/"}}})";
  escaped += "]}";
  auto grown = read_gmail_thread(escaped);
  REQUIRE(grown);
  REQUIRE(grown->size() == 9);
  const auto parsed = gc::parse_json(escaped);
  for (size_t i = 0; i < 9; ++i) {
    CHECK((*grown)[i].payload->data == "aGk/aGk/");
    CHECK(gc::test::gmail_input_diff((*grown)[i], gmail_input_from_json(parsed["messages"][i])) == "");
  }
  auto none = read_gmail_thread(R"({"id":"t2","historyId":"1"})");
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("the direct reader refuses what it does not read, and the parsed way still reads it", "[mime][gmail_json]") {
  const std::string base = R"("payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"a@b.example"}],"body":{"data":"aGk"}})";
  // Valid JSON the direct reader leaves to the parsed way: repeated names, other types,
  // fractions, surrogate escapes, a bare MessagePart.
  const std::vector<std::string> valid = {
      R"({"id":"a","id":"b",)" + base + "}",
      R"({"id":"a","internalDate":null,)" + base + "}",
      R"({"id":"a","internalDate":1.5e12,)" + base + "}",
      R"({"id":"a","labelIds":["INBOX",3],)" + base + "}",
      R"({"id":"a","sizeEstimate":"12",)" + base + "}",
      R"({"id":"a","snippet":"\ud83d\ude00",)" + base + "}",
      R"({"id":"a","raw":7,)" + base + "}",
      R"({"id":"a","payload":"x"})",
      R"({"id":"a","mimeType":"text/plain","body":{"data":"aGk"}})",
      R"({"id":"a","payload":{"mimeType":"text/plain","headers":["From: a@b.example"]}})",
      R"({"id":"a","payload":{"mimeType":"text/plain","headers":[{"name":"From","name":"To","value":"x@y.example"}]}})",
      R"({"id":"a","payload":{"mimeType":"multipart/mixed","parts":[1,{"mimeType":"text/plain"}]}})",
      R"({"id":"a","payload":{"mimeType":"text/plain","body":{"size":-0.0}}})",
      R"({"id":7,)" + base + "}",
  };
  for (const auto& text : valid) {
    INFO(text);
    CHECK_FALSE(read_gmail_message(text));
    const auto j = gc::parse_json(text);
    REQUIRE(j.is_object());
    CHECK(parse_gmail_input(gmail_input_from_json(j)).ok() == parse_gmail_json(j).ok());
  }
  // Not JSON at all: refused by both.
  for (const std::string text : {R"({"id":"a",})", R"({"id":"a"} x)", "", R"({"id":"\x01"})", "[]"}) {
    INFO(text);
    CHECK_FALSE(read_gmail_message(text));
    CHECK_FALSE(read_gmail_thread(text));
  }
  CHECK_FALSE(read_gmail_thread(R"({"messages":[1]})"));
  CHECK_FALSE(read_gmail_thread(R"({"messages":{}})"));
}

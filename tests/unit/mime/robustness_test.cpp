#include "fixtures.hpp"
#include "gmail_json_builder.hpp"
#include "mime/parse.hpp"

#include <catch2/catch.hpp>
#include <glib.h>

#include <algorithm>
#include <random>
#include <thread>

using namespace gc::mime;
using gc::json;
namespace mail = gc::test::mail;

namespace {

bool has_warning(const message& m, const std::string& needle) {
  return std::any_of(m.parse_warnings.begin(), m.parse_warnings.end(),
                     [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

std::string nested_multipart(int levels) {
  std::string head = "From: a@example.com\nSubject: deep\nMessage-ID: <deep@x>\nMIME-Version: 1.0\n";
  std::string body;
  for (int i = 0; i < levels; ++i) {
    head += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
    body = "\n--b" + std::to_string(i) + "--\n" + body;
  }
  return head + "Content-Type: text/plain\n\ndeep text" + body;
}

// The output must always be valid UTF-8 JSON.
void check_serializable(const message& m) {
  auto s = to_json(m).dump();
  CHECK_FALSE(s.empty());
  CHECK(fallback_key(m).size() == 71);
}

} // namespace

TEST_CASE("garbage, truncated and empty input never crash", "[mime][robustness]") {
  CHECK_FALSE(parse_rfc822(""));
  CHECK_FALSE(parse_rfc822("   \r\n\r\n"));
  auto e = parse_rfc822("");
  CHECK(e.error().code == "unparseable");
  CHECK_FALSE(e.error().message.empty());

  std::mt19937 rng(12345);
  const std::string* fixtures[] = {&mail::headers_2047, &mail::rfc2231, &mail::related, &mail::forwarded,
                                   &mail::japanese, &mail::html_only, &mail::cp1252_qp};
  for (auto* f : fixtures) {
    for (size_t cut = 0; cut < f->size(); cut += 7) {   // every truncation point (step 7)
      auto r = parse_rfc822(f->substr(0, cut));
      if (r) check_serializable(*r);
    }
    for (int round = 0; round < 50; ++round) {          // random byte flips
      std::string s = *f;
      for (int k = 0; k < 8; ++k) s[rng() % s.size()] = static_cast<char>(rng() % 256);
      auto r = parse_rfc822(s);
      if (r) check_serializable(*r);
      auto j = gc::test::gmail_json_from_raw(s);
      auto rj = parse_gmail_json(j);
      if (rj) check_serializable(*rj);
    }
  }
  for (int round = 0; round < 200; ++round) {            // pure noise, including NUL bytes
    std::string s(rng() % 2000, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    auto r = parse_rfc822(s);
    if (r) check_serializable(*r);
  }
}

TEST_CASE("a truncated multipart keeps what arrived", "[mime][robustness]") {
  auto cut = mail::rfc2231.substr(0, mail::rfc2231.find("JVBERi0x") + 4);
  auto r = parse_rfc822(cut);
  REQUIRE(r);
  CHECK(r->subject == "report");
  CHECK(r->text_body == "See attached.");
}

TEST_CASE("deep MIME nesting is cut at max_depth with a warning", "[mime][robustness]") {
  auto shallow = parse_rfc822(nested_multipart(10));
  REQUIRE(shallow);
  CHECK(shallow->text_body == "deep text");
  auto deep = parse_rfc822(nested_multipart(200));
  REQUIRE(deep);
  CHECK(deep->subject == "deep");
  CHECK(deep->text_body.empty());
  CHECK((has_warning(*deep, "nesting") || has_warning(*deep, "deeper than")));

  json part = {{"mimeType", "text/plain"}, {"body", {{"data", "aGk"}}}};   // "hi"
  for (int i = 0; i < 100; ++i) part = {{"mimeType", "multipart/mixed"}, {"parts", json::array({part})}};
  part["headers"] = json::array({{{"name", "Subject"}, {"value", "deep json"}}});
  auto dj = parse_gmail_json(json{{"payload", part}});
  REQUIRE(dj);
  CHECK(dj->subject == "deep json");
  CHECK(has_warning(*dj, "deeper than 32"));
}

TEST_CASE("very long headers and huge reference lists", "[mime][robustness]") {
  std::string subject(200000, 'x');
  std::string refs;
  for (int i = 0; i < 5000; ++i) refs += " <r" + std::to_string(i) + "@Example.com>";
  std::string to;
  for (int i = 0; i < 3000; ++i) to += (i ? ", " : "") + std::string("u") + std::to_string(i) + "@x.example";
  auto raw = "From: a@example.com\nTo: " + to + "\nSubject: " + subject + "\nReferences:" + refs +
             "\nMessage-ID: <long@x>\n\nbody\n";
  auto r = parse_rfc822(raw);
  REQUIRE(r);
  CHECK(r->subject.size() == subject.size());
  CHECK(r->references.size() == 5000);
  CHECK(r->references.back() == "r4999@example.com");
  CHECK(r->to.size() == 3000);
}

TEST_CASE("invalid UTF-8 declared as UTF-8 is repaired", "[mime][robustness]") {
  auto r = parse_rfc822("From: a@example.com\nSubject: ok\nContent-Type: text/plain; charset=utf-8\n\nbad \xff\xfe bytes\n");
  REQUIRE(r);
  CHECK(g_utf8_validate(r->text_body.data(), static_cast<gssize>(r->text_body.size()), nullptr));
  CHECK(r->text_body.find("bad ") == 0);
  CHECK(has_warning(*r, "invalid UTF-8"));
}

TEST_CASE("parsing from 4 threads at once gives the same results", "[mime][threads]") {
  const std::string* fixtures[] = {&mail::headers_2047, &mail::rfc2231, &mail::cp1252_qp, &mail::japanese,
                                   &mail::html_only, &mail::related, &mail::forwarded, &mail::eight_bit_header};
  std::vector<std::string> expected;
  for (auto* f : fixtures) expected.push_back(to_json(parse_rfc822(*f).value()).dump());
  std::vector<json> gmail;
  for (auto* f : fixtures) gmail.push_back(gc::test::gmail_json_from_raw(*f));

  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 40; ++round)
        for (size_t i = 0; i < expected.size(); ++i) {
          size_t k = (i + static_cast<size_t>(t)) % expected.size();
          auto r = parse_rfc822(*fixtures[k]);
          if (!r || to_json(*r).dump() != expected[k]) ++mismatches[t];
          auto j = parse_gmail_json(gmail[k]);
          if (!j || j->subject != r->subject) ++mismatches[t];
        }
    });
  for (auto& th : threads) th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("odd charsets: undefined windows-1252 bytes, bogus names, latin-1 aliases", "[mime][robustness]") {
  auto body = [](const std::string& charset, const std::string& bytes) {
    auto r = parse_rfc822("From: a@example.com\nSubject: cs\nContent-Type: text/plain; charset=" + charset +
                          "\n\n" + bytes);
    REQUIRE(r);
    CHECK(g_utf8_validate(r->text_body.data(), static_cast<gssize>(r->text_body.size()), nullptr));
    return r->text_body;
  };
  auto undefined = body("windows-1252", "a\x81z \x80");   // 0x81 has no mapping in cp1252
  CHECK(undefined.front() == 'a');
  CHECK(undefined.find("z") != std::string::npos);
  CHECK(undefined.find("€") != std::string::npos);
  CHECK(body("iso-8859-17", "caf\xe9") == "café");         // unknown: windows-1252 + warning
  CHECK(body("\"latin1\"", "caf\xe9 \x93q\x94") == "café “q”");
  CHECK(body("ISO_8859-1:1987", "\x80") == "€");
  CHECK(body("utf-7", "Hi Mom -+Jjo--!") == "Hi Mom -☺-!");
  CHECK(body("x-\x01\xff-evil", "plain ascii") == "plain ascii");
  CHECK(body("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4") == "Привет");
}

#include "core/threading.hpp"

#include <catch2/catch.hpp>

using namespace gc::core;
using strings = std::vector<std::string>;

TEST_CASE("message ids are normalized for comparison", "[core][threading]") {
  CHECK(normalize_message_id("<AbC.123@Mail.Example.COM>") == "abc.123@mail.example.com");
  CHECK(normalize_message_id("  <x@y>  ") == "x@y");
  CHECK(normalize_message_id("x@y") == "x@y");
  CHECK(normalize_message_id("<x@y> (a comment)") == "x@y");
  CHECK(normalize_message_id("<\r\n x@y>") == "x@y");
  CHECK(normalize_message_id("<CAF+a=b_c@mail.gmail.com>") == "caf+a=b_c@mail.gmail.com");
  // Malformed: a content hash is used instead (dedup_key).
  CHECK_FALSE(normalize_message_id(""));
  CHECK_FALSE(normalize_message_id("<>"));
  CHECK_FALSE(normalize_message_id("no-at-sign"));
  CHECK_FALSE(normalize_message_id("<@host>"));
  CHECK_FALSE(normalize_message_id("<local@>"));
  CHECK_FALSE(normalize_message_id("<a@b"));
  CHECK_FALSE(normalize_message_id("two words@host"));
  CHECK_FALSE(normalize_message_id("<a<b@c>"));
  CHECK_FALSE(normalize_message_id("<" + std::string(1000, 'a') + "@b>"));
}

TEST_CASE("References and In-Reply-To lists are parsed in order without duplicates",
          "[core][threading]") {
  CHECK(parse_message_id_list("<a@x> <B@Y>\r\n <c@z> <a@x>") == strings{"a@x", "b@y", "c@z"});
  CHECK(parse_message_id_list("<a@x><b@y>") == strings{"a@x", "b@y"});
  CHECK(parse_message_id_list("a@x, b@y  c@z") == strings{"a@x", "b@y", "c@z"});
  CHECK(parse_message_id_list("<bad> <ok@x> <also-bad@>") == strings{"ok@x"});
  CHECK(parse_message_id_list("").empty());
  CHECK(parse_message_id_list("   ").empty());
}

TEST_CASE("dedup keys: Message-ID first, a stable content hash otherwise", "[core][threading]") {
  dedup_fields f{"Alice@Fund.vc", {"bob@lp.com", "carol@lp.com"}, {}, "Q3 update",
                 "Tue, 1 Oct 2024 10:00:00 +0000"};
  CHECK(dedup_key(std::string{"<ID-1@Fund.vc>"}, f) == "id-1@fund.vc");

  const auto h = dedup_key(std::nullopt, f);
  CHECK(h.rfind("sha256:", 0) == 0);
  CHECK(h.size() == 7 + 64);
  CHECK(dedup_key(std::string{"malformed"}, f) == h);

  // The same email seen by another mailbox: case, order and padding do not matter.
  dedup_fields g{" alice@fund.vc", {"CAROL@lp.com", "bob@lp.com"}, {}, " Q3 update ",
                 "Tue, 1 Oct 2024 10:00:00 +0000"};
  CHECK(fallback_dedup_key(g) == h);

  // A different email is a different key; fields do not run into each other.
  auto other = f;
  other.subject = "Q4 update";
  CHECK(fallback_dedup_key(other) != h);
  auto moved = f;
  moved.cc = {"bob@lp.com"};
  moved.to = {"carol@lp.com"};
  CHECK(fallback_dedup_key(moved) != h);
}

TEST_CASE("subjects lose reply and forward prefixes", "[core][threading]") {
  CHECK(normalize_subject("Re: Q3 update") == "Q3 update");
  CHECK(normalize_subject("RE: Fwd: re:  Q3 update ") == "Q3 update");
  CHECK(normalize_subject("Re[2]: Term sheet") == "Term sheet");
  CHECK(normalize_subject("Re(3): Term sheet") == "Term sheet");
  CHECK(normalize_subject("AW: WG: Fw: SV: Antw: TR: Rif: x") == "x");
  CHECK(normalize_subject("Fwd : spaced colon") == "spaced colon");
  CHECK(normalize_subject("Regarding: the fund") == "Regarding: the fund");
  CHECK(normalize_subject("Re:") == "");
  CHECK(normalize_subject("Request for info") == "Request for info");
  CHECK(normalize_subject("Re[x]: odd") == "Re[x]: odd");
  CHECK(normalize_subject("[LPs] Re: news") == "[LPs] Re: news");
  CHECK(normalize_subject("") == "");
}

TEST_CASE("thread keys: gmail key per mailbox, then every msgid", "[core][threading]") {
  auto keys = thread_keys(7, "18c2f", std::string{"<Me@x>"}, std::string{"<parent@x>"},
                          {"<root@x>", "<parent@x>", "<bad>", "<Me@X>"});
  std::vector<thread_key> want{{"gmail", "7:18c2f"}, {"msgid", "me@x"}, {"msgid", "parent@x"},
                               {"msgid", "root@x"}};
  CHECK(keys == want);
  CHECK(gmail_thread_key(12, "abc") == "12:abc");

  // No Gmail thread id, no Message-ID: no keys (the store then opens a new thread).
  CHECK(thread_keys(1, "", std::nullopt, std::nullopt, {}).empty());
  // In-Reply-To may hold several ids; a References entry may hold a whole header.
  auto multi = thread_keys(1, "", std::nullopt, std::string{"<a@x> <b@x>"}, {"<c@x> <d@x>"});
  CHECK(multi.size() == 4);
  CHECK(multi[3] == thread_key{"msgid", "d@x"});
}

TEST_CASE("thread plan: new, join, or merge into the smallest id", "[core][threading]") {
  auto none = plan_thread({});
  CHECK_FALSE(none.target);
  CHECK(none.merge.empty());

  auto one = plan_thread({5, 5, 5});
  CHECK(one.target == 5);
  CHECK(one.merge.empty());

  auto many = plan_thread({9, 3, 7, 3, 9});
  CHECK(many.target == 3);
  CHECK(many.merge == std::vector<int64_t>{7, 9});
}

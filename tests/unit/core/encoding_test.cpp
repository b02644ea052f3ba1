#include "core/encoding.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace gc::core;

namespace {

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

} // namespace

TEST_CASE("base64 RFC 4648 vectors", "[core][encoding]") {
  const std::pair<const char*, const char*> v[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : v) {
    CHECK(base64_encode(plain) == enc);
    CHECK(base64url_encode(plain, true) == enc);
    std::string unpadded = enc;
    unpadded.erase(unpadded.find_last_not_of('=') + 1);
    CHECK(base64url_encode(plain) == unpadded);
    CHECK(base64_decode(enc) == std::string{plain});
    CHECK(base64_decode(unpadded) == std::string{plain});
  }
}

TEST_CASE("base64 alphabets differ only in the last two symbols", "[core][encoding]") {
  const std::string s = "\xfb\xff\xbf";
  CHECK(base64_encode(s) == "+/+/");
  CHECK(base64url_encode(s) == "-_-_");
  CHECK(base64_decode("+/+/") == s);
  CHECK(base64_decode("-_-_") == s);
  CHECK(base64_decode("+_-/") == s);   // both alphabets accepted, even mixed
}

TEST_CASE("base64 round trips every byte at every length", "[core][encoding]") {
  const auto bytes = all_bytes();
  const auto twice = bytes + bytes;
  for (size_t len = 0; len <= 70; ++len) {
    auto s = twice.substr(len * 37 % 256, len);
    INFO("length " << len);
    CHECK(base64_decode(base64_encode(s)) == s);
    CHECK(base64_decode(base64url_encode(s)) == s);
    CHECK(base64_decode(base64url_encode(s, true)) == s);
    CHECK(base64_encode(s).size() == (len + 2) / 3 * 4);
    CHECK(base64url_encode(s).find('=') == std::string::npos);
  }
  CHECK(base64_decode(base64_encode(bytes)) == bytes);
}

TEST_CASE("base64_decode ignores whitespace such as MIME line breaks", "[core][encoding]") {
  CHECK(base64_decode("Zm9v\r\nYmFy") == std::string{"foobar"});
  CHECK(base64_decode(" Zm9v YmE= \n") == std::string{"fooba"});
  CHECK(base64_decode("Zg=\t=") == std::string{"f"});
  CHECK(base64_decode("\n") == std::string{});
}

TEST_CASE("base64_decode rejects invalid input", "[core][encoding]") {
  const char* bad[] = {
      "Z",          // a lone symbol carries under one byte
      "Zm9vY",      // the same at the end of longer text
      "Zg=",        // partial padding
      "Zm9v=",      // padding after a complete quad
      "Zm9=v",      // data after padding
      "Zg==Zg==",   // concatenated padded blocks
      "Zg===",      // too much padding
      "=", "==", "====",
      "Zm9v!", "Zm 9v.", "Zm9v\x80", "\xc3\xa9\xc3\xa9",
  };
  for (const char* b : bad) {
    INFO(b);
    CHECK_FALSE(base64_decode(b));
  }
  CHECK_FALSE(base64_decode(std::string("Zm\0v", 4)));
}

// The whole-quad fast path hands over to the careful loop at the first quad holding white
// space, padding or an invalid byte: the result is the same wherever those fall.
TEST_CASE("base64_decode gives the same result wherever spaces, padding and errors fall", "[core][encoding]") {
  std::mt19937 rng{20261122};
  const std::string bytes = all_bytes();
  size_t valid = 0, invalid = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string plain = bytes.substr(rng() % 200, rng() % 56);
    std::string enc = round % 2 ? base64url_encode(plain, round % 3 == 0) : base64_encode(plain);
    // White space (MIME line breaks) at a few positions, sometimes inside a quad.
    for (int k = static_cast<int>(rng() % 4); k > 0; --k)
      enc.insert(rng() % (enc.size() + 1), std::string(1, " \r\n\t"[rng() % 4]));
    INFO("encoded: " << enc);
    REQUIRE(base64_decode(enc) == plain);
    ++valid;
    // One byte that is not base64, or stray padding, anywhere but after the data's own padding.
    std::string bad = enc;
    const size_t at = rng() % (bad.size() + 1);
    const char junk = "*.=~\x80\x01"[rng() % 6];
    bad.insert(at, 1, junk);
    const bool only_padding_added_at_end = junk == '=' && bad.find_first_not_of("= \r\n\t", at + 1) == std::string::npos;
    if (!only_padding_added_at_end) {
      INFO("broken: " << bad);
      CHECK_FALSE(base64_decode(bad));
      ++invalid;
    }
  }
  CHECK(valid == 3000);
  CHECK(invalid > 2500);
}

TEST_CASE("hex_encode", "[core][encoding]") {
  CHECK(hex_encode("") == "");
  CHECK(hex_encode(std::string("\x00\xff\x10\xab", 4)) == "00ff10ab");
  auto h = hex_encode(all_bytes());
  CHECK(h.size() == 512);
  CHECK(h.substr(0, 8) == "00010203");
  CHECK(h.substr(504) == "fcfdfeff");
}

TEST_CASE("url_encode keeps only RFC 3986 unreserved characters", "[core][encoding]") {
  CHECK(url_encode("") == "");
  CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(url_encode("a b&c=d/e?f#g+h%") == "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
  CHECK(url_encode("caf\xc3\xa9") == "caf%C3%A9");
  CHECK(url_encode(std::string("\0\x7f\xff", 3)) == "%00%7F%FF");
  // Every byte outside the unreserved set is escaped, whatever the C locale says.
  auto enc = url_encode(all_bytes());
  CHECK(enc.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") ==
        std::string::npos);
  CHECK(enc.size() == 66 + 3 * (256 - 66));
}

TEST_CASE("url_decode", "[core][encoding]") {
  CHECK(url_decode("") == std::string{});
  CHECK(url_decode("%41%42c") == std::string{"ABc"});
  CHECK(url_decode("%2f%2F") == std::string{"//"});
  CHECK(url_decode("a+b") == std::string{"a b"});
  CHECK(url_decode("a+b", false) == std::string{"a+b"});
  CHECK(url_decode("a%2Bb") == std::string{"a+b"});
  CHECK(url_decode("%00") == std::string(1, '\0'));
  CHECK(url_decode("caf%C3%A9") == std::string{"caf\xc3\xa9"});
  CHECK(url_decode("100%25") == std::string{"100%"});

  const char* bad[] = {"%", "%4", "%4g", "%g4", "abc%", "abc%2", "%%41", "%-1", "% 1"};
  for (const char* b : bad) {
    INFO(b);
    CHECK_FALSE(url_decode(b));
    CHECK_FALSE(url_decode(b, false));
  }

  const auto bytes = all_bytes();
  CHECK(url_decode(url_encode(bytes)) == bytes);
  CHECK(url_decode(url_encode(bytes), false) == bytes);
}

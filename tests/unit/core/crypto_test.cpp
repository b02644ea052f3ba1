#include "core/crypto.hpp"
#include "core/encoding.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <set>
#include <stdexcept>

using namespace gc::core;

namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string{h.substr(i, 2)}, nullptr, 16));
  return out;
}

// Werkzeug-format fixtures computed independently with CPython's hashlib at test-writing time:
//   hashlib.pbkdf2_hmac("sha256", pw, salt.encode(), 1000).hex()
//   hashlib.scrypt(pw, salt=salt.encode(), n=1024, r=8, p=1, dklen=64).hex()
constexpr const char* pw = "correct horse battery staple";
constexpr const char* wz_pbkdf2_sha256 =
    "pbkdf2:sha256:1000$Xa9kQ2mZ7pL4wR1t$"
    "9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95";
constexpr const char* wz_pbkdf2_sha512 =
    "pbkdf2:sha512:1000$Xa9kQ2mZ7pL4wR1t$"
    "0ea8b6e5206952d7e97b87170ac200d59b0b7b79735c07c53c1fbcf01577d94d"
    "ccbf86808a3cdd55d13ac9dd88bf2f70a318c86abb554f8bde6a09ba4362aba7";
constexpr const char* wz_pbkdf2_empty_pw =
    "pbkdf2:sha256:1000$Xa9kQ2mZ7pL4wR1t$"
    "9a397e75ffa715383f7d0342c3d3e0a59524b0860543efd228134c6183d867bd";
constexpr const char* wz_scrypt_1024 =
    "scrypt:1024:8:1$Xa9kQ2mZ7pL4wR1t$"
    "0602690f064be52004205fe91950f1e65301bd3cba29b38764fb2cb5f7fc350f"
    "1ab36864cb1e39e50299b5ebfec92c17f41cae9b7a77933278fb15d97a9a36ac";
// Werkzeug's default scrypt parameters, UTF-8 password "pässwörd".
constexpr const char* wz_scrypt_default =
    "scrypt:32768:8:1$q7Wc1Vb0Nn3Mm5Ll$"
    "94ae1a6f698bb9d03cc7b41a331340d46c0c9c542ad30bddae957284d6ab67c3"
    "28177aa13a4dc3944372a5c64486d6e2f221f8dbc1ff036a191e34f64718ab1f";
// Our own format with N=1024: salt bytes 0..15, key = hashlib.scrypt(pw, salt, 1024, 8, 1, 32).
constexpr const char* native_1024 =
    "scrypt$1024$8$1$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=";

const std::string& hashed_once() {   // hash_password costs ~100 ms: compute it once
  static const std::string h = hash_password(pw);
  return h;
}

} // namespace

TEST_CASE("random_bytes and random_token", "[core][crypto]") {
  CHECK(random_bytes(0).empty());
  CHECK(random_bytes(1).size() == 1);
  CHECK(random_bytes(1000).size() == 1000);
  CHECK(random_bytes(32) != random_bytes(32));

  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto t = random_token();
    REQUIRE(t.size() == 43);
    CHECK(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    auto raw = base64_decode(t);
    REQUIRE(raw);
    CHECK(raw->size() == 32);
    seen.insert(t);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("sha256 known answers", "[core][crypto]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(sha256_hex(std::string("a\0b", 3)) ==
        "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
  CHECK(sha256("abc") == unhex(sha256_hex("abc")));
  CHECK(sha256("abc").size() == 32);
}

TEST_CASE("hmac_sha256 RFC 4231 vectors", "[core][crypto]") {
  // case 1
  CHECK(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // case 2
  CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // case 6: key longer than the block size
  CHECK(hex_encode(hmac_sha256(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // empty key and data (Python hmac)
  CHECK(hex_encode(hmac_sha256("", "")) ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("constant_time_equal", "[core][crypto]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK_FALSE(constant_time_equal("xbc", "abc"));
}

TEST_CASE("hash_password produces the documented scrypt format and verifies", "[core][crypto]") {
  const auto& h = hashed_once();
  REQUIRE(h.rfind("scrypt$32768$8$1$", 0) == 0);
  auto rest = h.substr(17);
  auto dollar = rest.find('$');
  REQUIRE(dollar != std::string::npos);
  auto salt = base64_decode(rest.substr(0, dollar));
  auto key = base64_decode(rest.substr(dollar + 1));
  REQUIRE(salt);
  REQUIRE(key);
  CHECK(salt->size() == 16);
  CHECK(key->size() == 32);
  CHECK(h.find(pw) == std::string::npos);

  // Each call below costs a full scrypt (~100 ms): keep them few.
  CHECK(verify_password(pw, h));
  CHECK_FALSE(verify_password("correct horse battery stapl", h));
  CHECK(hash_password(pw) != h);   // a fresh salt every time
}

TEST_CASE("verify_password: our format with other parameters", "[core][crypto]") {
  CHECK(verify_password(pw, native_1024));
  CHECK_FALSE(verify_password("wrong", native_1024));
  std::string tampered = native_1024;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(verify_password(pw, tampered));
  std::string other_n = native_1024;
  other_n.replace(7, 4, "2048");
  CHECK_FALSE(verify_password(pw, other_n));
}

TEST_CASE("verify_password: Werkzeug pbkdf2 and scrypt hashes", "[core][crypto]") {
  CHECK(verify_password(pw, wz_pbkdf2_sha256));
  CHECK(verify_password(pw, wz_pbkdf2_sha512));
  CHECK(verify_password("", wz_pbkdf2_empty_pw));
  CHECK(verify_password(pw, wz_scrypt_1024));
  CHECK(verify_password("p\xc3\xa4ssw\xc3\xb6rd", wz_scrypt_default));

  CHECK_FALSE(verify_password("Correct horse battery staple", wz_pbkdf2_sha256));
  CHECK_FALSE(verify_password("", wz_pbkdf2_sha256));
  CHECK_FALSE(verify_password(pw, wz_pbkdf2_empty_pw));
  CHECK_FALSE(verify_password("x", wz_scrypt_1024));
  // The salt is text: the same hash with another salt or iteration count does not verify.
  std::string s = wz_pbkdf2_sha256;
  CHECK_FALSE(verify_password(pw, std::string(s).replace(s.find('$') + 1, 1, "Y")));
  CHECK_FALSE(verify_password(pw, std::string(s).replace(14, 4, "1001")));
  // Hex case does not matter.
  std::string upper = s;
  for (size_t i = s.rfind('$') + 1; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  CHECK(verify_password(pw, upper));
}

TEST_CASE("verify_password rejects garbage without throwing", "[core][crypto]") {
  const std::string hex64(64, 'a');
  const char* garbage[] = {
      "", "$", "$$", "$$$$$", "scrypt", "scrypt$", "scrypt$$$$$", "correct horse battery staple",
      "scrypt$32768$8$1$$", "scrypt$abc$8$1$AAAA$AAAA", "scrypt$-1$8$1$AAAA$AAAA",
      "scrypt$1000$8$1$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=",
      "scrypt$1048576$8$1$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=",
      "scrypt$1024$0$1$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=",
      "scrypt$1024$8$0$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=",
      "scrypt$1024$8$1$!!!$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=",
      "scrypt$1024$8$1$AAECAwQFBgcICQoLDA0ODw==$AAAA",            // key far too short
      "scrypt$1024$8$1$AAECAwQFBgcICQoLDA0ODw==$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU=$x",
      "pbkdf2:sha256$Xa9kQ2mZ7pL4wR1t$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "pbkdf2:sha256:0$s$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "pbkdf2:sha256:999999999999$s$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "pbkdf2:md5:1000$s$9246a3b1c339680ea5ed6e813f39ec87",
      "pbkdf2:sha256:1000$Xa9kQ2mZ7pL4wR1t$zz46a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "pbkdf2:sha256:1000$Xa9kQ2mZ7pL4wR1t$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee9",
      "pbkdf2:sha256:1000$Xa9kQ2mZ7pL4wR1t",
      "pbkdf2:sha256:1000$a$b$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "pbkdf2:sha256:1000:7$s$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "scrypt:1024:8$s$0602690f064be52004205fe91950f1e65301bd3cba29b38764fb2cb5f7fc350f",
      "scrypt:1023:8:1$s$0602690f064be52004205fe91950f1e65301bd3cba29b38764fb2cb5f7fc350f",
      "scrypt:1048576:8:1$s$0602690f064be52004205fe91950f1e65301bd3cba29b38764fb2cb5f7fc350f",
      "scrypt:1024:8:1000$s$0602690f064be52004205fe91950f1e65301bd3cba29b38764fb2cb5f7fc350f",
      "sha256$Xa9kQ2mZ7pL4wR1t$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
      "$2b$12$KIXQJ1y1mCk4aQ3o1uC6ZeC7fH0qN9H5kY8aX0m2r1v0b6f4x5y6S",     // bcrypt
      "plain:sha256:1000$s$9246a3b1c339680ea5ed6e813f39ec87e35071788ffc7ca80976f51492d7ee95",
  };
  for (const char* g : garbage) {
    INFO(g);
    CHECK_FALSE(verify_password(pw, g));
    CHECK_FALSE(verify_password("", g));
  }
  CHECK_FALSE(verify_password(pw, std::string(5000, 'a')));
  CHECK_FALSE(verify_password(pw, std::string("pbkdf2:sha256:1000$s\0x$", 23) + hex64));
  CHECK_FALSE(verify_password(pw, std::string("scrypt\0$1024$8$1$AAAA$AAAA", 26)));
}

TEST_CASE("aes_gcm round trips and is randomized", "[core][crypto]") {
  const auto key = random_bytes(32);
  auto n = GENERATE(0, 1, 15, 16, 17, 1000);
  const auto plain = random_bytes(static_cast<size_t>(n));
  auto blob = aes_gcm_encrypt(key, plain);
  CHECK(blob.size() == 12 + plain.size() + 16);
  auto back = aes_gcm_decrypt(key, blob);
  REQUIRE(back);
  CHECK(*back == plain);
  CHECK(aes_gcm_encrypt(key, plain) != blob);   // fresh nonce every time

  auto with_aad = aes_gcm_encrypt(key, plain, "mailbox:alice@example.com");
  CHECK(aes_gcm_decrypt(key, with_aad, "mailbox:alice@example.com") == plain);
  CHECK_FALSE(aes_gcm_decrypt(key, with_aad, "mailbox:bob@example.com"));
  CHECK_FALSE(aes_gcm_decrypt(key, with_aad));
  CHECK_FALSE(aes_gcm_decrypt(key, blob, "unexpected aad"));
}

TEST_CASE("aes_gcm detects every tampered byte, wrong keys and short blobs", "[core][crypto]") {
  const auto key = random_bytes(32);
  const std::string plain = "1//refresh-token-sample";
  const auto blob = aes_gcm_encrypt(key, plain, "aad");
  for (size_t i = 0; i < blob.size(); ++i) {
    auto t = blob;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    INFO("flipped byte " << i);
    CHECK_FALSE(aes_gcm_decrypt(key, t, "aad"));
  }
  CHECK_FALSE(aes_gcm_decrypt(random_bytes(32), blob, "aad"));
  auto other = key;
  other[31] = static_cast<char>(other[31] ^ 0x80);
  CHECK_FALSE(aes_gcm_decrypt(other, blob, "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key.substr(0, 31), blob, "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key + "x", blob, "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key, blob.substr(0, blob.size() - 1), "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key, blob + "x", "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key, blob.substr(0, 27), "aad"));
  CHECK_FALSE(aes_gcm_decrypt(key, "", "aad"));
  CHECK(aes_gcm_decrypt(key, blob, "aad") == plain);

  CHECK_THROWS_AS(aes_gcm_encrypt(key.substr(0, 16), plain), std::invalid_argument);
  CHECK_THROWS_AS(aes_gcm_encrypt("", plain), std::invalid_argument);
}

TEST_CASE("aes_gcm known answers (GCM spec test cases 14 and 16)", "[core][crypto]") {
  // Test case 14: zero key, zero IV, 16 zero bytes.
  auto tc14 = unhex("000000000000000000000000"
                    "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
  CHECK(aes_gcm_decrypt(std::string(32, '\0'), tc14) == std::string(16, '\0'));
  // Test case 16: with additional authenticated data.
  auto key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  auto aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  auto tc16 = unhex("cafebabefacedbaddecaf888"
                    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                    "76fc6ece0f4e1768cddf8853bb2d551b");
  auto plain = aes_gcm_decrypt(key, tc16, aad);
  REQUIRE(plain);
  CHECK(hex_encode(*plain) ==
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  CHECK_FALSE(aes_gcm_decrypt(key, tc16));
}

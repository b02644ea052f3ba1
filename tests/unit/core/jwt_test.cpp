#include "core/jwt.hpp"
#include "core/encoding.hpp"
#include "unit/core/jwt_fixtures.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace gc::core;
namespace fx = gc::test::jwt_fx;
using gc::json;

namespace {

const rsa_private_key& fixture_key() {
  static const rsa_private_key k = rsa_private_key::from_pem(fx::key_pkcs8).value();
  return k;
}

const rsa_private_key& generated_key() {   // key generation is slow-ish: once per run
  static const rsa_private_key k = generate_rsa_key(2048).value();
  return k;
}

json fixture_claims() {
  return json{{"iss", "sa@proj.iam.gserviceaccount.com"},
              {"sub", "alice@example.com"},
              {"scope", "https://www.googleapis.com/auth/gmail.readonly"},
              {"aud", "https://oauth2.googleapis.com/token"},
              {"iat", 1700000000},
              {"exp", 1700003600}};
}

std::string segment(const json& j) { return base64url_encode(j.dump()); }

} // namespace

TEST_CASE("rsa keys load from PKCS#8, PKCS#1, SPKI and certificates", "[core][jwt]") {
  auto k8 = rsa_private_key::from_pem(fx::key_pkcs8);
  auto k1 = rsa_private_key::from_pem(fx::key_pkcs1);
  REQUIRE(k8);
  REQUIRE(k1);
  CHECK(k8->bits() == 2048);
  CHECK(k8->public_pem() == fx::pub_spki);
  CHECK(k1->public_pem() == fx::pub_spki);

  for (const char* pem : {fx::pub_spki, fx::pub_pkcs1, fx::cert}) {
    auto pub = rsa_public_key::from_pem(pem);
    REQUIRE(pub);
    CHECK(pub->bits() == 2048);
    CHECK(pub->pem() == fx::pub_spki);
  }
  CHECK(rsa_public_key::from_private(*k8).pem() == fx::pub_spki);
  // A PEM embedded in a service-account JSON arrives with the same text; private_pem is PKCS#8.
  CHECK(k8->private_pem() == fx::key_pkcs8);
}

TEST_CASE("rsa key loading refuses bad input with bad_key and no key text", "[core][jwt]") {
  std::string k8 = fx::key_pkcs8;
  const std::string bad_private[] = {"", "not a pem", k8.substr(0, k8.size() / 2),
                                     fx::key_encrypted, fx::ec_key, fx::pub_spki, fx::cert};
  for (const auto& pem : bad_private) {
    auto r = rsa_private_key::from_pem(pem);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "bad_key");
    CHECK(r.error().message.find("BEGIN") == std::string::npos);
    CHECK(r.error().message.find("MII") == std::string::npos);
  }
  std::string cert = fx::cert;
  const std::string bad_public[] = {"", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                                    cert.substr(0, cert.size() / 2), fx::ec_pub};
  for (const auto& pem : bad_public) {
    auto r = rsa_public_key::from_pem(pem);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "bad_key");
  }
}

TEST_CASE("rs256 signatures match OpenSSL's and verify", "[core][jwt]") {
  std::string token = fx::token;
  auto input = token.substr(0, token.rfind('.'));
  auto expected_sig = base64_decode(token.substr(token.rfind('.') + 1));
  REQUIRE(expected_sig);
  // PKCS#1 v1.5 is deterministic: same bytes as `openssl dgst -sha256 -sign`.
  CHECK(rs256_sign(fixture_key(), input) == *expected_sig);

  auto pub = rsa_public_key::from_pem(fx::pub_spki).value();
  CHECK(rs256_verify(pub, input, *expected_sig));
  CHECK_FALSE(rs256_verify(pub, input + " ", *expected_sig));
  auto flipped = *expected_sig;
  flipped[100] = static_cast<char>(flipped[100] ^ 0x04);
  CHECK_FALSE(rs256_verify(pub, input, flipped));
  CHECK_FALSE(rs256_verify(pub, input, expected_sig->substr(1)));
  CHECK_FALSE(rs256_verify(pub, input, ""));
  CHECK_FALSE(rs256_verify(rsa_public_key::from_private(generated_key()), input, *expected_sig));
}

TEST_CASE("generated keys sign, verify and round-trip through PEM", "[core][jwt]") {
  const auto& k = generated_key();
  CHECK(k.bits() == 2048);
  auto sig = rs256_sign(k, "hello");
  CHECK(sig.size() == 256);
  auto pub = rsa_public_key::from_private(k);
  CHECK(rs256_verify(pub, "hello", sig));
  CHECK(rs256_verify(rsa_public_key::from_pem(k.public_pem()).value(), "hello", sig));
  CHECK(rs256_sign(rsa_private_key::from_pem(k.private_pem()).value(), "hello") == sig);
  CHECK_FALSE(rs256_verify(rsa_public_key::from_private(fixture_key()), "hello", sig));
  CHECK(rs256_verify(pub, "", rs256_sign(k, "")));

  // Copies share the key and outlive the original.
  auto copy = std::make_unique<rsa_private_key>(k);
  rsa_private_key second = *copy;
  copy.reset();
  CHECK(rs256_verify(pub, "x", rs256_sign(second, "x")));

  for (int bits : {0, 512, 1023, 16385}) {
    auto r = generate_rsa_key(bits);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "bad_argument");
  }
}

TEST_CASE("jwt_encode_rs256 matches an independently signed token", "[core][jwt]") {
  auto token = jwt_encode_rs256(json{{"kid", "k1"}, {"typ", "JWT"}}, fixture_claims(),
                                fixture_key());
  CHECK(token == fx::token);
  // A caller's wrong alg is overridden: the header always says what was used.
  CHECK(jwt_encode_rs256(json{{"alg", "none"}, {"kid", "k1"}, {"typ", "JWT"}}, fixture_claims(),
                         fixture_key()) == fx::token);
  CHECK(token.find('=') == std::string::npos);

  CHECK_THROWS_AS(jwt_encode_rs256(json::array(), fixture_claims(), fixture_key()),
                  std::invalid_argument);
  CHECK_THROWS_AS(jwt_encode_rs256(json::object(), json("str"), fixture_key()),
                  std::invalid_argument);
  CHECK_THROWS_AS(jwt_encode_rs256(json::object(), json{{"sub", "\xff\xfe"}}, fixture_key()),
                  std::invalid_argument);
}

TEST_CASE("jwt_decode and jwt_verify_rs256 on good and tampered tokens", "[core][jwt]") {
  auto pub = rsa_public_key::from_private(generated_key());
  auto token = jwt_encode_rs256(json{{"typ", "JWT"}}, fixture_claims(), generated_key());
  auto parts = jwt_decode(token);
  REQUIRE(parts);
  CHECK(parts->header["alg"] == "RS256");
  CHECK(parts->claims == fixture_claims());
  CHECK(parts->signing_input == token.substr(0, token.rfind('.')));
  CHECK(parts->signature.size() == 256);
  CHECK(jwt_verify_rs256(*parts, pub));
  CHECK_FALSE(jwt_verify_rs256(*parts, rsa_public_key::from_private(fixture_key())));

  auto d1 = token.find('.'), d2 = token.rfind('.');
  SECTION("changed payload") {
    auto claims = fixture_claims();
    claims["sub"] = "mallory@example.com";
    auto forged = token.substr(0, d1 + 1) + segment(claims) + token.substr(d2);
    auto p = jwt_decode(forged);
    REQUIRE(p);
    CHECK(p->claims["sub"] == "mallory@example.com");
    CHECK_FALSE(jwt_verify_rs256(*p, pub));
  }
  SECTION("flipped signature byte") {
    auto sig = parts->signature;
    sig[0] = static_cast<char>(sig[0] ^ 0x01);
    auto p = jwt_decode(token.substr(0, d2 + 1) + base64url_encode(sig));
    REQUIRE(p);
    CHECK_FALSE(jwt_verify_rs256(*p, pub));
  }
  SECTION("header alg must be RS256") {
    auto p = *parts;
    for (json alg : {json("HS256"), json("none"), json("rs256"), json(256), json(nullptr)}) {
      p.header["alg"] = alg;
      CHECK_FALSE(jwt_verify_rs256(p, pub));
    }
    p.header.erase("alg");
    CHECK_FALSE(jwt_verify_rs256(p, pub));
  }
  SECTION("alg none with an empty signature") {
    auto none = segment(json{{"alg", "none"}}) + "." + token.substr(d1 + 1, d2 - d1 - 1) + ".";
    auto p = jwt_decode(none);
    REQUIRE(p);
    CHECK(p->signature.empty());
    CHECK_FALSE(jwt_verify_rs256(*p, pub));
  }
}

TEST_CASE("jwt_decode rejects malformed tokens without quoting them", "[core][jwt]") {
  const std::string h = segment(json{{"alg", "RS256"}});
  const std::string c = segment(json{{"sub", "x"}});
  const std::string s = base64url_encode("sig");   // "c2ln"
  const std::string bad[] = {
      "", ".", "..", "...", "abc", h, h + "." + c, h + "." + c + "." + s + ".x",
      "." + c + "." + s,                                  // empty header
      h + ".." + s,                                        // empty claims
      h + "=." + c + "." + s,                              // padding
      h + "." + c + "." + s + "=",
      h + "." + c + " ." + s,                              // whitespace
      h + "." + c + ".c2l+",                               // standard alphabet
      h + "." + c + ".c2lnZ",                              // lone trailing symbol
      h + "." + c + ".c2lnZB",     // "sigd" with stray low bits (canonical form is "c2lnZA")
      segment(json::array({1})) + "." + c + "." + s,       // header not an object
      h + "." + segment(json("str")) + "." + s,            // claims not an object
      base64url_encode("{not json") + "." + c + "." + s,
      h + "." + base64url_encode("{\"a\":\"\xff\"}") + "." + s,   // invalid UTF-8
      h + "." + c + "." + std::string(70000, 'A'),         // too long
  };
  for (const auto& t : bad) {
    auto r = jwt_decode(t);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "malformed");
    CHECK(r.error().message.rfind("jwt: ", 0) == 0);
    if (t.size() > 8) CHECK(r.error().message.find(t) == std::string::npos);
  }
  CHECK(jwt_decode(h + "." + c + ".c2lnZA"));
  CHECK(jwt_decode(h + "." + c + "." + s));
}

#pragma once
// RSA keys and RS256 JWTs (RFC 7515/7519) on OpenSSL 3: the service signs Google's JWT-bearer
// assertions; the simulator verifies them. Error texts never contain key material or tokens.
#include "core/json.hpp"
#include "core/ossl_ptr.hpp"
#include "core/result.hpp"

#include <string>
#include <string_view>

namespace gc::core {

// An RSA private key. Copies share the same immutable OpenSSL key (reference counted).
class rsa_private_key {
public:
  // PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" PEM (as in a service-account JSON key).
  // Encrypted PEM is refused (never prompts). Error code "bad_key".
  static result<rsa_private_key> from_pem(std::string_view pem);

  rsa_private_key(const rsa_private_key& o);
  rsa_private_key& operator=(const rsa_private_key& o);
  rsa_private_key(rsa_private_key&&) noexcept = default;
  rsa_private_key& operator=(rsa_private_key&&) noexcept = default;
  ~rsa_private_key() = default;

  std::string public_pem() const;    // SPKI "PUBLIC KEY" PEM
  // PKCS#8 "PRIVATE KEY" PEM. Only for writing key files (simulator, tests); never log it.
  std::string private_pem() const;
  int bits() const;
  EVP_PKEY* native() const noexcept { return key_.get(); }

private:
  explicit rsa_private_key(ossl::pkey_ptr k) : key_{std::move(k)} {}
  friend result<rsa_private_key> generate_rsa_key(int bits);
  ossl::pkey_ptr key_;
};

// An RSA public key.
class rsa_public_key {
public:
  // SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY", or an X.509 "CERTIFICATE" (its key is taken;
  // the certificate itself is not validated). Error code "bad_key".
  static result<rsa_public_key> from_pem(std::string_view pem);
  static rsa_public_key from_private(const rsa_private_key& k);

  rsa_public_key(const rsa_public_key& o);
  rsa_public_key& operator=(const rsa_public_key& o);
  rsa_public_key(rsa_public_key&&) noexcept = default;
  rsa_public_key& operator=(rsa_public_key&&) noexcept = default;
  ~rsa_public_key() = default;

  std::string pem() const;           // SPKI "PUBLIC KEY" PEM
  int bits() const;
  EVP_PKEY* native() const noexcept { return key_.get(); }

private:
  explicit rsa_public_key(ossl::pkey_ptr k) : key_{std::move(k)} {}
  ossl::pkey_ptr key_;
};

// A fresh key (e = 65537). bits from 1024 to 16384, else error "bad_argument".
result<rsa_private_key> generate_rsa_key(int bits = 2048);

// RSASSA-PKCS1-v1_5 with SHA-256. rs256_sign throws std::runtime_error if OpenSSL fails.
std::string rs256_sign(const rsa_private_key& key, std::string_view data);
bool rs256_verify(const rsa_public_key& key, std::string_view data, std::string_view signature);

// "<b64url(header)>.<b64url(claims)>.<b64url(sig)>", unpadded. header["alg"] is set to "RS256".
// Throws std::invalid_argument if header or claims is not an object or holds invalid UTF-8.
std::string jwt_encode_rs256(const json& header, const json& claims, const rsa_private_key& key);

struct jwt_parts {
  json header;
  json claims;
  std::string signing_input;   // "<header segment>.<claims segment>", as received
  std::string signature;       // raw bytes
};

// Checks structure only: three segments of canonical unpadded base64url, header and claims
// JSON objects. Error code "malformed"; the message never quotes the token.
result<jwt_parts> jwt_decode(std::string_view token);

// True when header.alg is "RS256" and the signature is valid for key. Claims (exp, aud, ...)
// are the caller's business.
bool jwt_verify_rs256(const jwt_parts& jwt, const rsa_public_key& key);

} // namespace gc::core

#include "core/jwt.hpp"

#include "core/encoding.hpp"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <stdexcept>

namespace gc::core {
namespace {

using decoder_ctx_ptr = std::unique_ptr<OSSL_DECODER_CTX, ossl::deleter<OSSL_DECODER_CTX_free>>;

constexpr size_t max_pem_len = 1 << 20;
constexpr size_t max_token_len = 64 << 10;

// Refuses every passphrase request, so an encrypted PEM fails instead of prompting on a tty.
int no_passphrase(char*, int, int, void*) { return -1; }

error bad_key(const std::string& what) {
  ERR_clear_error();   // OpenSSL's queue may describe the key; do not let it leak or linger
  return error{"bad_key", what};
}

error malformed(const std::string& what) { return error{"malformed", "jwt: " + what}; }

ossl::bio_ptr mem_bio(std::string_view s) {
  return ossl::bio_ptr{BIO_new_mem_buf(s.data(), static_cast<int>(s.size()))};
}

std::string bio_text(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string{};
}

ossl::pkey_ptr share(EVP_PKEY* k) {
  if (k) EVP_PKEY_up_ref(k);
  return ossl::pkey_ptr{k};
}

std::string pubkey_pem(EVP_PKEY* k) {
  ossl::bio_ptr b{BIO_new(BIO_s_mem())};
  if (!b || !k || PEM_write_bio_PUBKEY(b.get(), k) != 1) {
    ERR_clear_error();
    throw std::runtime_error("rsa key: cannot write public PEM");
  }
  return bio_text(b.get());
}

// One base64url JWT segment: URL alphabet only, no padding, canonical (re-encodes to itself).
std::optional<std::string> decode_segment(std::string_view seg) {
  for (char c : seg) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  auto raw = base64_decode(seg);
  if (!raw || base64url_encode(*raw, false) != seg) return std::nullopt;
  return raw;
}

} // namespace

// ---- rsa_private_key --------------------------------------------------------------------

result<rsa_private_key> rsa_private_key::from_pem(std::string_view pem) {
  if (pem.empty() || pem.size() > max_pem_len) return bad_key("private key: empty or too large");
  auto bio = mem_bio(pem);
  ossl::pkey_ptr k{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)
                       : nullptr};
  if (!k) return bad_key("private key: not an unencrypted PEM private key");
  if (!EVP_PKEY_is_a(k.get(), "RSA")) return bad_key("private key: not an RSA key");
  return rsa_private_key{std::move(k)};
}

rsa_private_key::rsa_private_key(const rsa_private_key& o) : key_{share(o.key_.get())} {}

rsa_private_key& rsa_private_key::operator=(const rsa_private_key& o) {
  if (this != &o) key_ = share(o.key_.get());
  return *this;
}

std::string rsa_private_key::public_pem() const { return pubkey_pem(key_.get()); }

std::string rsa_private_key::private_pem() const {
  ossl::bio_ptr b{BIO_new(BIO_s_mem())};
  if (!b || !key_ ||
      PEM_write_bio_PrivateKey(b.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    throw std::runtime_error("rsa key: cannot write private PEM");
  }
  return bio_text(b.get());
}

int rsa_private_key::bits() const { return key_ ? EVP_PKEY_get_bits(key_.get()) : 0; }

// ---- rsa_public_key ---------------------------------------------------------------------

result<rsa_public_key> rsa_public_key::from_pem(std::string_view pem) {
  if (pem.empty() || pem.size() > max_pem_len) return bad_key("public key: empty or too large");
  ossl::pkey_ptr k;
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    auto bio = mem_bio(pem);
    ossl::x509_ptr cert{bio ? PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr)
                            : nullptr};
    if (!cert) return bad_key("certificate: not a PEM X.509 certificate");
    k.reset(X509_get_pubkey(cert.get()));
  } else {
    EVP_PKEY* raw = nullptr;
    decoder_ctx_ptr dctx{OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA",
                                                       EVP_PKEY_PUBLIC_KEY, nullptr, nullptr)};
    auto data = reinterpret_cast<const unsigned char*>(pem.data());
    size_t len = pem.size();
    if (dctx) OSSL_DECODER_from_data(dctx.get(), &data, &len);
    k.reset(raw);
  }
  if (!k) return bad_key("public key: not a PEM RSA public key or certificate");
  if (!EVP_PKEY_is_a(k.get(), "RSA")) return bad_key("public key: not an RSA key");
  ERR_clear_error();
  return rsa_public_key{std::move(k)};
}

rsa_public_key rsa_public_key::from_private(const rsa_private_key& k) {
  // Round-trip through DER SubjectPublicKeyInfo so that no private part is kept.
  unsigned char* der = nullptr;
  int len = k.native() ? i2d_PUBKEY(k.native(), &der) : -1;
  ossl::pkey_ptr pub;
  if (len > 0) {
    const unsigned char* p = der;
    pub.reset(d2i_PUBKEY(nullptr, &p, len));
  }
  OPENSSL_free(der);
  if (!pub) {
    ERR_clear_error();
    throw std::runtime_error("rsa key: cannot extract public key");
  }
  return rsa_public_key{std::move(pub)};
}

rsa_public_key::rsa_public_key(const rsa_public_key& o) : key_{share(o.key_.get())} {}

rsa_public_key& rsa_public_key::operator=(const rsa_public_key& o) {
  if (this != &o) key_ = share(o.key_.get());
  return *this;
}

std::string rsa_public_key::pem() const { return pubkey_pem(key_.get()); }

int rsa_public_key::bits() const { return key_ ? EVP_PKEY_get_bits(key_.get()) : 0; }

// ---- generation, signatures -------------------------------------------------------------

result<rsa_private_key> generate_rsa_key(int bits) {
  if (bits < 1024 || bits > 16384)
    return error{"bad_argument", "generate_rsa_key: bits must be from 1024 to 16384"};
  ossl::pkey_ptr k{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits))};
  if (!k) return bad_key("generate_rsa_key: key generation failed");
  return rsa_private_key{std::move(k)};
}

std::string rs256_sign(const rsa_private_key& key, std::string_view data) {
  ossl::md_ctx_ptr ctx{EVP_MD_CTX_new()};
  auto in = reinterpret_cast<const unsigned char*>(data.empty() ? "" : data.data());
  size_t len = 0;
  std::string sig;
  bool ok = ctx && key.native() &&
            EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.native(),
                                  nullptr) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                        data.size()) == 1;
    sig.resize(len);
  }
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error("rs256_sign: signing failed");
  }
  return sig;
}

bool rs256_verify(const rsa_public_key& key, std::string_view data, std::string_view signature) {
  ossl::md_ctx_ptr ctx{EVP_MD_CTX_new()};
  auto in = reinterpret_cast<const unsigned char*>(data.empty() ? "" : data.data());
  auto sig = reinterpret_cast<const unsigned char*>(signature.empty() ? "" : signature.data());
  bool ok = ctx && key.native() && !signature.empty() &&
            EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr,
                                    key.native(), nullptr) == 1 &&
            EVP_DigestVerify(ctx.get(), sig, signature.size(), in, data.size()) == 1;
  ERR_clear_error();
  return ok;
}

// ---- JWT --------------------------------------------------------------------------------

std::string jwt_encode_rs256(const json& header, const json& claims, const rsa_private_key& key) {
  if (!header.is_object() || !claims.is_object())
    throw std::invalid_argument("jwt_encode_rs256: header and claims must be JSON objects");
  json h = header;
  h["alg"] = "RS256";
  std::string input;
  try {
    input = base64url_encode(h.dump()) + "." + base64url_encode(claims.dump());
  } catch (const json::exception&) {
    throw std::invalid_argument("jwt_encode_rs256: header or claims hold invalid UTF-8");
  }
  auto sig = rs256_sign(key, input);
  return input + "." + base64url_encode(sig);
}

result<jwt_parts> jwt_decode(std::string_view token) {
  if (token.size() > max_token_len) return malformed("token too long");
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return malformed("expected three dot-separated segments");
  auto h_seg = token.substr(0, d1), c_seg = token.substr(d1 + 1, d2 - d1 - 1);
  auto h_raw = decode_segment(h_seg), c_raw = decode_segment(c_seg);
  auto sig = decode_segment(token.substr(d2 + 1));
  if (!h_raw || h_raw->empty()) return malformed("header is not base64url");
  if (!c_raw || c_raw->empty()) return malformed("claims are not base64url");
  if (!sig) return malformed("signature is not base64url");
  jwt_parts out;
  out.header = json::parse(*h_raw, nullptr, false);
  if (!out.header.is_object()) return malformed("header is not a JSON object");
  out.claims = json::parse(*c_raw, nullptr, false);
  if (!out.claims.is_object()) return malformed("claims are not a JSON object");
  out.signing_input = std::string{token.substr(0, d2)};
  out.signature = std::move(*sig);
  return out;
}

bool jwt_verify_rs256(const jwt_parts& jwt, const rsa_public_key& key) {
  auto alg = jwt.header.is_object() ? jwt.header.find("alg") : jwt.header.end();
  if (alg == jwt.header.end() || !alg->is_string() || alg->get<std::string>() != "RS256")
    return false;
  return rs256_verify(key, jwt.signing_input, jwt.signature);
}

} // namespace gc::core

#include "core/crypto.hpp"

#include "core/encoding.hpp"
#include "core/ossl_ptr.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <climits>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace gc::core {
namespace {

constexpr size_t gcm_nonce_len = 12;
constexpr size_t gcm_tag_len = 16;

// Cost limits for stored hashes: a corrupt or hostile row must not pin a CPU or exhaust memory.
constexpr uint64_t max_scrypt_mem = 256ull << 20;   // bytes
constexpr uint64_t max_scrypt_p = 16;
constexpr uint64_t max_pbkdf2_iters = 10'000'000;
constexpr size_t min_key_len = 16, max_key_len = 64;

const unsigned char* bytes(std::string_view s) {
  // OpenSSL dislikes NULL even with a zero length; an empty view may carry one.
  return reinterpret_cast<const unsigned char*>(s.empty() ? "" : s.data());
}

unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto pos = s.find(sep);
    out.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return out;
    s.remove_prefix(pos + 1);
  }
}

std::optional<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  if (s.empty() || s.size() > 12) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> hex_decode(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.size() % 2) return std::nullopt;
  std::string out(s.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = val(s[2 * i]), lo = val(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

bool key_len_ok(size_t n) { return n >= min_key_len && n <= max_key_len; }

std::optional<std::string> scrypt_derive(std::string_view pw, std::string_view salt, uint64_t n,
                                         uint64_t r, uint64_t p, size_t len) {
  if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0 || p > max_scrypt_p) return std::nullopt;
  if (r > max_scrypt_mem / 128 / (n + 2 + p)) return std::nullopt;   // also bounds r*p
  uint64_t need = 128 * r * (n + 2) + 128 * r * p;                  // OpenSSL's own formula
  std::string out(len, '\0');
  int ok = EVP_PBE_scrypt(pw.data(), pw.size(), bytes(salt), salt.size(), n, r, p,
                          need + (64 << 10), bytes(out), out.size());
  if (ok != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> pbkdf2_derive(std::string_view pw, std::string_view salt,
                                         std::string_view hash_name, uint64_t iters,
                                         size_t len) {
  const EVP_MD* md = hash_name == "sha256"   ? EVP_sha256()
                     : hash_name == "sha512" ? EVP_sha512()
                     : hash_name == "sha1"   ? EVP_sha1()
                                             : nullptr;
  if (!md || iters == 0 || iters > max_pbkdf2_iters) return std::nullopt;
  if (pw.size() > INT_MAX || salt.size() > INT_MAX) return std::nullopt;
  std::string out(len, '\0');
  int ok = PKCS5_PBKDF2_HMAC(pw.empty() ? "" : pw.data(), static_cast<int>(pw.size()),
                             bytes(salt), static_cast<int>(salt.size()),
                             static_cast<int>(iters), md, static_cast<int>(len), bytes(out));
  if (ok != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

// scrypt$N$r$p$<salt b64>$<key b64>
bool verify_native(std::string_view pw, const std::vector<std::string_view>& f) {
  if (f.size() != 6) return false;
  auto n = parse_u64(f[1]), r = parse_u64(f[2]), p = parse_u64(f[3]);
  auto salt = base64_decode(f[4]);
  auto want = base64_decode(f[5]);
  if (!n || !r || !p || !salt || !want || !key_len_ok(want->size())) return false;
  auto got = scrypt_derive(pw, *salt, *n, *r, *p, want->size());
  return got && constant_time_equal(*got, *want);
}

// Werkzeug: <method>$<salt>$<hex>, method "pbkdf2:<hash>:<iters>" or "scrypt:<N>:<r>:<p>".
bool verify_werkzeug(std::string_view pw, const std::vector<std::string_view>& f) {
  if (f.size() != 3) return false;
  auto method = split(f[0], ':');
  auto want = hex_decode(f[2]);
  if (!want || !key_len_ok(want->size())) return false;
  std::optional<std::string> got;
  if (method.size() == 3 && method[0] == "pbkdf2") {
    auto iters = parse_u64(method[2]);
    if (!iters) return false;
    got = pbkdf2_derive(pw, f[1], method[1], *iters, want->size());
  } else if (method.size() == 4 && method[0] == "scrypt") {
    auto n = parse_u64(method[1]), r = parse_u64(method[2]), p = parse_u64(method[3]);
    if (!n || !r || !p) return false;
    got = scrypt_derive(pw, f[1], *n, *r, *p, want->size());
  }
  return got && constant_time_equal(*got, *want);
}

} // namespace

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (n == 0) return out;
  if (n > INT_MAX || RAND_bytes(bytes(out), static_cast<int>(n)) != 1) {
    ERR_clear_error();
    throw std::runtime_error("random_bytes: the OpenSSL random generator failed");
  }
  return out;
}

std::string random_token() { return base64url_encode(random_bytes(32), false); }

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (EVP_Digest(bytes(data), data.size(), bytes(out), &len, EVP_sha256(), nullptr) != 1 ||
      len != 32) {
    ERR_clear_error();
    throw std::runtime_error("sha256: digest failed");
  }
  return out;
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, bytes(key), key.size(),
                 bytes(data), data.size(), bytes(out), out.size(), &len) ||
      len != 32) {
    ERR_clear_error();
    throw std::runtime_error("hmac_sha256: mac failed");
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password) {
  constexpr uint64_t n = 32768, r = 8, p = 1;
  auto salt = random_bytes(16);
  auto key = scrypt_derive(password, salt, n, r, p, 32);
  if (!key) throw std::runtime_error("hash_password: scrypt failed");
  return "scrypt$" + std::to_string(n) + "$" + std::to_string(r) + "$" + std::to_string(p) +
         "$" + base64_encode(salt) + "$" + base64_encode(*key);
}

bool verify_password(std::string_view password, std::string_view stored) noexcept {
  try {
    if (stored.size() > 1024) return false;
    auto fields = split(stored, '$');
    if (fields[0] == "scrypt") return verify_native(password, fields);
    if (fields[0].rfind("pbkdf2:", 0) == 0 || fields[0].rfind("scrypt:", 0) == 0)
      return verify_werkzeug(password, fields);
    return false;
  } catch (...) {
    return false;   // allocation failure: deny
  }
}

std::string aes_gcm_encrypt(std::string_view key32, std::string_view plaintext,
                            std::string_view aad) {
  if (key32.size() != 32) throw std::invalid_argument("aes_gcm_encrypt: key must be 32 bytes");
  if (plaintext.size() > INT_MAX - 64 || aad.size() > INT_MAX)
    throw std::invalid_argument("aes_gcm_encrypt: input too large");
  std::string out = random_bytes(gcm_nonce_len);
  out.resize(gcm_nonce_len + plaintext.size() + gcm_tag_len);
  unsigned char* ct = bytes(out) + gcm_nonce_len;
  ossl::cipher_ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  int len = 0, fin = 0;
  bool ok = ctx &&
            EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(key32), bytes(out),
                                nullptr) == 1 &&
            (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                              static_cast<int>(aad.size())) == 1) &&
            (plaintext.empty() || EVP_EncryptUpdate(ctx.get(), ct, &len, bytes(plaintext),
                                                    static_cast<int>(plaintext.size())) == 1) &&
            EVP_EncryptFinal_ex(ctx.get(), ct + (plaintext.empty() ? 0 : len), &fin) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, gcm_tag_len,
                                ct + plaintext.size()) == 1;
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error("aes_gcm_encrypt: encryption failed");
  }
  return out;
}

std::optional<std::string> aes_gcm_decrypt(std::string_view key32, std::string_view blob,
                                           std::string_view aad) {
  if (key32.size() != 32 || blob.size() < gcm_nonce_len + gcm_tag_len) return std::nullopt;
  if (blob.size() > INT_MAX || aad.size() > INT_MAX) return std::nullopt;
  auto nonce = blob.substr(0, gcm_nonce_len);
  auto ct = blob.substr(gcm_nonce_len, blob.size() - gcm_nonce_len - gcm_tag_len);
  std::string tag{blob.substr(blob.size() - gcm_tag_len)};
  std::string out(ct.size(), '\0');
  ossl::cipher_ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  int len = 0, fin = 0;
  bool ok = ctx &&
            EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(key32), bytes(nonce),
                                nullptr) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                              static_cast<int>(aad.size())) == 1) &&
            (ct.empty() || EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(ct),
                                             static_cast<int>(ct.size())) == 1) &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, gcm_tag_len, bytes(tag)) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), bytes(out) + (ct.empty() ? 0 : len), &fin) == 1;
  if (!ok) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

} // namespace gc::core

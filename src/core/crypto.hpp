#pragma once
// Cryptographic primitives on OpenSSL 3 (EVP only): randomness, SHA-256, HMAC, password hashes,
// AES-256-GCM. Pure functions; byte strings travel in std::string. No function logs, and no
// error text ever contains key material, passwords or plaintext.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gc::core {

// n bytes from the OpenSSL CSPRNG. Throws std::runtime_error if the generator fails.
std::string random_bytes(size_t n);
// 32 random bytes, base64url without padding (43 chars). For API bearer tokens.
std::string random_token();

std::string sha256(std::string_view data);       // raw 32 bytes
std::string sha256_hex(std::string_view data);   // 64 lowercase hex digits
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes

// Constant-time for equal lengths (CRYPTO_memcmp); different lengths are unequal, and only the
// lengths are compared then.
bool constant_time_equal(std::string_view a, std::string_view b);

// "scrypt$32768$8$1$<salt base64>$<key base64>": scrypt N=32768 r=8 p=1, 16-byte random salt,
// 32-byte key. Takes roughly 50-100 ms and 32 MiB.
std::string hash_password(std::string_view password);

// Checks a password against a stored hash in one of these forms:
//   scrypt$N$r$p$<salt b64>$<key b64>             (hash_password)
//   pbkdf2:<sha256|sha512|sha1>:<iters>$<salt>$<hex>  (Werkzeug; salt is text)
//   scrypt:<N>:<r>:<p>$<salt>$<hex>                 (Werkzeug; salt is text, 64-byte key)
// Malformed or unsupported strings, and parameters beyond sane cost limits, give false; it
// never throws. The final comparison is constant-time.
bool verify_password(std::string_view password, std::string_view stored) noexcept;

// AES-256-GCM. key32 must be 32 bytes (std::invalid_argument otherwise). Output is
// nonce(12) || ciphertext || tag(16) with a fresh random nonce.
std::string aes_gcm_encrypt(std::string_view key32, std::string_view plaintext,
                            std::string_view aad = {});
// nullopt on a wrong key (or key length), changed blob or aad, or a blob under 28 bytes.
std::optional<std::string> aes_gcm_decrypt(std::string_view key32, std::string_view blob,
                                           std::string_view aad = {});

} // namespace gc::core

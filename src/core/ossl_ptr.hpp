#pragma once
// Internal to core/: unique_ptr aliases that own OpenSSL handles (house rule: RAII for every
// C handle). Not part of any public interface.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace gc::core::ossl {

template <auto Free>
struct deleter {
  template <class T>
  void operator()(T* p) const noexcept { Free(p); }
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, deleter<EVP_PKEY_CTX_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, deleter<EVP_MD_CTX_free>>;
using cipher_ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, deleter<EVP_CIPHER_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509_free>>;

} // namespace gc::core::ossl

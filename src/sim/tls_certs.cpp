#include "sim/tls_certs.hpp"

#include "core/crypto.hpp"
#include "core/jwt.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>

namespace gc::sim {
namespace {

template <auto Free>
struct ossl_free {
  template <class T>
  void operator()(T* p) const noexcept { Free(p); }
};
using x509_ptr = std::unique_ptr<X509, ossl_free<X509_free>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, ossl_free<X509_EXTENSION_free>>;
using bio_ptr = std::unique_ptr<BIO, ossl_free<BIO_free_all>>;
using bn_ptr = std::unique_ptr<BIGNUM, ossl_free<BN_free>>;

struct tls_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(bool ok, const char* what) {
  if (!ok) throw tls_failure(what);
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ext_ptr ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())};
  check(ext != nullptr, "bad certificate extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "cannot add certificate extension");
}

x509_ptr new_cert(EVP_PKEY* key, const std::string& cn, int days) {
  x509_ptr cert{X509_new()};
  check(cert != nullptr, "X509_new failed");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version failed");
  auto serial_bytes = core::random_bytes(16);
  serial_bytes[0] = static_cast<char>(serial_bytes[0] & 0x7f);  // positive
  bn_ptr bn{BN_bin2bn(reinterpret_cast<const unsigned char*>(serial_bytes.data()),
                      static_cast<int>(serial_bytes.size()), nullptr)};
  check(bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())), "serial failed");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey failed");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("gmail-capture simulator"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return cert;
}

std::string to_pem(X509* cert) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509 failed");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

tls_material build(const tls_names& names) {
  auto ca_key = core::generate_rsa_key(2048);
  auto srv_key = core::generate_rsa_key(2048);
  check(ca_key.ok() && srv_key.ok(), "RSA key generation failed");

  auto ca = new_cert(ca_key->native(), "gmail-capture sim test CA", names.valid_days);
  check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) == 1, "issuer failed");
  add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(ca.get(), ca_key->native(), EVP_sha256()) > 0, "CA signing failed");

  std::string cn = names.dns.empty() ? (names.ips.empty() ? "localhost" : names.ips[0]) : names.dns[0];
  auto srv = new_cert(srv_key->native(), cn, names.valid_days);
  check(X509_set_issuer_name(srv.get(), X509_get_subject_name(ca.get())) == 1, "issuer failed");
  std::string san;
  for (const auto& d : names.dns) san += (san.empty() ? "" : ",") + std::string{"DNS:"} + d;
  for (const auto& ip : names.ips) san += (san.empty() ? "" : ",") + std::string{"IP:"} + ip;
  add_ext(srv.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(srv.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_ext(srv.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(srv.get(), ca.get(), NID_subject_key_identifier, "hash");
  add_ext(srv.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  if (!san.empty()) add_ext(srv.get(), ca.get(), NID_subject_alt_name, san);
  check(X509_sign(srv.get(), ca_key->native(), EVP_sha256()) > 0, "server signing failed");

  return tls_material{to_pem(ca.get()), to_pem(srv.get()), srv_key->private_pem()};
}

} // namespace

gc::result<tls_material> make_test_tls(const tls_names& names) {
  try {
    return build(names);
  } catch (const std::exception& e) {
    return gc::error{"tls", e.what()};
  }
}

gc::status write_ca_pem(const tls_material& m, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return gc::error{"io", "cannot create " + dir + ": " + ec.message()};
  auto path = (std::filesystem::path(dir) / "ca.pem").string();
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << m.ca_cert_pem;
  f.close();
  if (!f) return gc::error{"io", "cannot write " + path};
  return gc::ok_v;
}

gc::result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const tls_material& m) {
  namespace ssl = boost::asio::ssl;
  try {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    std::string chain = m.server_cert_pem + m.ca_cert_pem;
    ctx->use_certificate_chain(boost::asio::buffer(chain));
    ctx->use_private_key(boost::asio::buffer(m.server_key_pem), ssl::context::pem);
    return ctx;
  } catch (const std::exception& e) {
    return gc::error{"tls", std::string{"cannot build the TLS context: "} + e.what()};
  }
}

} // namespace gc::sim

#pragma once
// A throw-away PKI for the simulator's HTTPS: a self-signed test CA and a server certificate
// for localhost / 127.0.0.1 / ::1 signed by it. Clients trust the CA through ca.pem
// (CRM_GMAIL_CA_FILE), so TLS verification stays on in tests and the demo.
#include "core/result.hpp"

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <vector>

namespace gc::sim {

struct tls_material {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;    // PKCS#8; never logged
};

struct tls_names {
  std::vector<std::string> dns = {"localhost"};
  std::vector<std::string> ips = {"127.0.0.1", "::1"};
  int valid_days = 30;
};

// RSA-2048 keys, SHA-256 signatures, X.509 v3 (CA: basicConstraints CA:TRUE, keyCertSign;
// server: SANs, serverAuth). Error code "tls".
gc::result<tls_material> make_test_tls(const tls_names& names = {});

// Writes <dir>/ca.pem (creating dir). Error code "io".
gc::status write_ca_pem(const tls_material& m, const std::string& dir);

// A TLS 1.2+ server context holding the server certificate (+ CA in the chain) and key.
gc::result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const tls_material& m);

} // namespace gc::sim

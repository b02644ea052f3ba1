#include "sim/token_accounts.hpp"

#include "core/encoding.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>

namespace gc::sim {

gc::result<service_account> make_service_account(const std::string& project_id,
                                                 const std::string& name, uint64_t seed) {
  auto key = core::generate_rsa_key(2048);
  if (!key) return key.error();
  std::mt19937_64 rng(seed ^ 0x5a5a5a5a5a5a5a5aull);
  std::string client_id = "1";
  for (int i = 0; i < 20; ++i) client_id += static_cast<char>('0' + rng() % 10);
  std::string kid_bytes;
  for (int i = 0; i < 20; ++i) kid_bytes += static_cast<char>(rng() & 0xff);
  auto pub = core::rsa_public_key::from_private(*key);
  service_account sa{project_id,
                     name + "@" + project_id + ".iam.gserviceaccount.com",
                     client_id,
                     core::hex_encode(kid_bytes),
                     std::move(*key),
                     std::move(pub),
                     default_dwd_scopes};
  return sa;
}

gc::result<service_account> load_service_account(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return gc::error{"io", "cannot read " + path};
  std::stringstream ss;
  ss << f.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "service_account")
    return gc::error{"bad_key", path + " is not a service-account JSON key"};
  auto key = core::rsa_private_key::from_pem(j.value("private_key", ""));
  if (!key) return gc::error{"bad_key", path + ": " + key.error().message};
  auto pub = core::rsa_public_key::from_private(*key);
  return service_account{j.value("project_id", ""), j.value("client_email", ""),
                         j.value("client_id", ""),  j.value("private_key_id", ""),
                         std::move(*key),           std::move(pub),
                         default_dwd_scopes};
}

json service_account_key_json(const service_account& sa, const std::string& token_uri) {
  auto email_enc = core::url_encode(sa.client_email);
  return {{"type", "service_account"},
          {"project_id", sa.project_id},
          {"private_key_id", sa.private_key_id},
          {"private_key", sa.key ? sa.key->private_pem() : std::string{}},
          {"client_email", sa.client_email},
          {"client_id", sa.client_id},
          {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
          {"token_uri", token_uri},
          {"auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs"},
          {"client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/" + email_enc},
          {"universe_domain", "googleapis.com"}};
}

gc::status write_service_account_key(const service_account& sa, const std::string& token_uri,
                                     const std::string& path) {
  if (!sa.key) return gc::error{"io", "the service account has no private key to write"};
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return gc::error{"io", "cannot write " + path};
    ::chmod(tmp.c_str(), 0600);
    f << service_account_key_json(sa, token_uri).dump(2) << "\n";
    if (!f.flush()) return gc::error{"io", "cannot write " + path};
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return gc::error{"io", "cannot write " + path + ": " + ec.message()};
  return gc::ok_v;
}

std::string full_scope(const std::string& s) {
  if (s.find("://") != std::string::npos) return s;
  return scope_prefix + s;
}

std::vector<std::string> split_scopes(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '+') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

} // namespace gc::sim

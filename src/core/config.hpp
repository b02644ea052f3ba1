#pragma once
// Configuration from the environment. Names follow seed 000 (CRM_GMAIL_*) plus design.md's
// additions. A malformed value is an error that names the variable and what was expected;
// it is never replaced by a silent default.
#include "core/result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace gc::core {

enum class auth_method { dwd, oauth };
enum class quota_table { legacy, y2026 };

struct config {
  // service
  std::string db_path = "./data/crm.db";          // CRM_DB_PATH
  std::string data_dir = "./data";                // CRM_DATA_DIR
  std::string http_host = "127.0.0.1";            // CRM_HTTP_ADDR (host part)
  uint16_t http_port = 8080;                      // CRM_HTTP_ADDR (port part, 0 = any)
  std::string log_level = "info";                 // CRM_LOG_LEVEL
  int auth_token_ttl_hours = 168;                 // CRM_AUTH_TOKEN_TTL_HOURS (login tokens)

  // Gmail integration (seed 000)
  bool gmail_enabled = false;                     // CRM_GMAIL_INTEGRATION_ENABLED
  auth_method gmail_auth = auth_method::dwd;      // CRM_GMAIL_AUTH_METHOD
  std::string sa_key_path;                        // CRM_GMAIL_SA_KEY_PATH
  std::string workspace_domain;                   // CRM_GMAIL_WORKSPACE_DOMAIN
  std::string oauth_client_id;                    // CRM_GMAIL_OAUTH_CLIENT_ID
  std::string oauth_client_secret;                // CRM_GMAIL_OAUTH_CLIENT_SECRET
  std::string oauth_redirect_uri;                 // CRM_GMAIL_OAUTH_REDIRECT_URI
  std::string secret_key;                         // CRM_GMAIL_SECRET_KEY (32 bytes, decoded)
  int sync_interval_min = 15;                     // CRM_GMAIL_SYNC_INTERVAL_MIN
  int backfill_page_size = 500;                   // CRM_GMAIL_BACKFILL_PAGE_SIZE (1..500)
  int max_attachment_mb = 50;                     // CRM_GMAIL_MAX_ATTACHMENT_MB
  int attach_concurrency = 4;                     // CRM_GMAIL_ATTACH_CONCURRENCY
  double rate_units_sec = 95;                     // CRM_GMAIL_RATE_UNITS_SEC (per mailbox; 150 legacy)
  double project_units_sec = 20000;               // CRM_GMAIL_PROJECT_UNITS_SEC
  int retry_max = 5;                              // CRM_GMAIL_RETRY_MAX
  int history_stale_days = 5;                     // CRM_GMAIL_HISTORY_STALE_DAYS
  std::string api_base = "https://gmail.googleapis.com";           // CRM_GMAIL_API_BASE
  std::string token_uri = "https://oauth2.googleapis.com/token";   // CRM_GMAIL_TOKEN_URI
  quota_table quota_costs = quota_table::y2026;   // CRM_GMAIL_QUOTA_COSTS (legacy|2026)
  std::string ca_file;                            // CRM_GMAIL_CA_FILE (extra trust anchor)
};

// Reads a variable; returns nullopt when unset. Tests pass their own map.
using env_fn = std::function<std::optional<std::string>(const std::string&)>;
env_fn process_env();

// Parses every variable. On the first bad value returns an error whose message starts with
// the variable's name, e.g. "CRM_HTTP_ADDR: expected HOST:PORT with a port 0-65535, got 'x'".
result<config> load_config(const env_fn& env);

const char* to_string(auth_method m);
const char* to_string(quota_table q);

} // namespace gc::core

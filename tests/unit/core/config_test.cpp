#include "core/config.hpp"
#include "core/encoding.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>

using namespace gc::core;

namespace {

using vars = std::map<std::string, std::string>;

env_fn env_of(vars v) {
  return [v = std::move(v)](const std::string& k) -> std::optional<std::string> {
    auto it = v.find(k);
    if (it == v.end()) return std::nullopt;
    return it->second;
  };
}

gc::result<config> load(vars v) { return load_config(env_of(std::move(v))); }

const std::string key32_b64 = base64_encode(std::string(32, '\x42'));

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

} // namespace

TEST_CASE("config defaults", "[core][config]") {
  auto c = load({});
  REQUIRE(c);
  CHECK(c->db_path == "./data/crm.db");
  CHECK(c->data_dir == "./data");
  CHECK(c->http_host == "127.0.0.1");
  CHECK(c->http_port == 8080);
  CHECK(c->log_level == "info");
  CHECK(c->auth_token_ttl_hours == 168);
  CHECK_FALSE(c->gmail_enabled);
  CHECK(c->gmail_auth == auth_method::dwd);
  CHECK(c->secret_key.empty());
  CHECK(c->sync_interval_min == 15);
  CHECK(c->backfill_page_size == 500);
  CHECK(c->max_attachment_mb == 50);
  CHECK(c->attach_concurrency == 4);
  CHECK(c->rate_units_sec == 95);  // 2026 cost table: 95% of Google's 6,000 units/min per user
  CHECK(c->project_units_sec == 20000);
  CHECK(c->retry_max == 5);
  CHECK(c->history_stale_days == 5);
  CHECK(c->api_base == "https://gmail.googleapis.com");
  CHECK(c->token_uri == "https://oauth2.googleapis.com/token");
  CHECK(c->quota_costs == quota_table::y2026);
  CHECK(c->ca_file.empty());
  // VAR= (empty) counts as unset.
  auto e = load({{"CRM_HTTP_ADDR", ""}, {"CRM_GMAIL_RETRY_MAX", ""}, {"CRM_DB_PATH", ""}});
  REQUIRE(e);
  CHECK(e->http_port == 8080);
  CHECK(e->retry_max == 5);
  CHECK(e->db_path == "./data/crm.db");
}

TEST_CASE("the default per-mailbox pace follows the cost table's era", "[core][config]") {
  CHECK(load({})->rate_units_sec == 95);                                        // 2026: 100 units/s per user
  CHECK(load({{"CRM_GMAIL_QUOTA_COSTS", "legacy"}})->rate_units_sec == 150);    // legacy: 250 units/s
  CHECK(load({{"CRM_GMAIL_QUOTA_COSTS", "legacy"}, {"CRM_GMAIL_RATE_UNITS_SEC", "200"}})->rate_units_sec == 200);
  CHECK(load({{"CRM_GMAIL_RATE_UNITS_SEC", "40"}})->rate_units_sec == 40);
}

TEST_CASE("config parses good values", "[core][config]") {
  auto c = load({{"CRM_DB_PATH", "/data/crm.db"},
                 {"CRM_DATA_DIR", "/data"},
                 {"CRM_HTTP_ADDR", "0.0.0.0:9000"},
                 {"CRM_LOG_LEVEL", "DEBUG"},
                 {"CRM_AUTH_TOKEN_TTL_HOURS", "8760"},
                 {"CRM_GMAIL_INTEGRATION_ENABLED", "Yes"},
                 {"CRM_GMAIL_AUTH_METHOD", "DWD"},
                 {"CRM_GMAIL_SA_KEY_PATH", "/data/secrets/sa.json"},
                 {"CRM_GMAIL_WORKSPACE_DOMAIN", "Fund.Example"},
                 {"CRM_GMAIL_SYNC_INTERVAL_MIN", "1"},
                 {"CRM_GMAIL_BACKFILL_PAGE_SIZE", "1"},
                 {"CRM_GMAIL_MAX_ATTACHMENT_MB", "1024"},
                 {"CRM_GMAIL_ATTACH_CONCURRENCY", "64"},
                 {"CRM_GMAIL_RATE_UNITS_SEC", "150.5"},
                 {"CRM_GMAIL_PROJECT_UNITS_SEC", "1e6"},
                 {"CRM_GMAIL_RETRY_MAX", "0"},
                 {"CRM_GMAIL_HISTORY_STALE_DAYS", "365"},
                 {"CRM_GMAIL_API_BASE", "http://127.0.0.1:9100//"},
                 {"CRM_GMAIL_TOKEN_URI", "http://127.0.0.1:9100/token"},
                 {"CRM_GMAIL_QUOTA_COSTS", "Legacy"},
                 {"CRM_GMAIL_CA_FILE", "/data/sim-ca.pem"},
                 {"CRM_GMAIL_SECRET_KEY", key32_b64}});
  REQUIRE(c);
  CHECK(c->db_path == "/data/crm.db");
  CHECK(c->data_dir == "/data");
  CHECK(c->http_host == "0.0.0.0");
  CHECK(c->http_port == 9000);
  CHECK(c->log_level == "debug");
  CHECK(c->auth_token_ttl_hours == 8760);
  CHECK(c->gmail_enabled);
  CHECK(c->gmail_auth == auth_method::dwd);
  CHECK(c->workspace_domain == "fund.example");
  CHECK(c->sync_interval_min == 1);
  CHECK(c->backfill_page_size == 1);
  CHECK(c->max_attachment_mb == 1024);
  CHECK(c->attach_concurrency == 64);
  CHECK(c->rate_units_sec == 150.5);
  CHECK(c->project_units_sec == 1e6);
  CHECK(c->retry_max == 0);
  CHECK(c->history_stale_days == 365);
  CHECK(c->api_base == "http://127.0.0.1:9100");
  CHECK(c->token_uri == "http://127.0.0.1:9100/token");
  CHECK(c->quota_costs == quota_table::legacy);
  CHECK(c->ca_file == "/data/sim-ca.pem");
  CHECK(c->secret_key == std::string(32, '\x42'));

  for (auto [text, value] : {std::pair{"1", true}, {"true", true}, {"ON", true}, {"0", false},
                             {"False", false}, {"no", false}, {"off", false}}) {
    auto b = load({{"CRM_GMAIL_INTEGRATION_ENABLED", text},
                   {"CRM_GMAIL_SA_KEY_PATH", "/k.json"},
                   {"CRM_GMAIL_WORKSPACE_DOMAIN", "fund.example"}});
    REQUIRE(b);
    CHECK(b->gmail_enabled == value);
  }
  CHECK(load({{"CRM_GMAIL_QUOTA_COSTS", "2026"}})->quota_costs == quota_table::y2026);
  // The secret key may also be URL-safe and unpadded.
  auto url_key = base64url_encode(std::string(32, '\xfb'));
  CHECK(load({{"CRM_GMAIL_SECRET_KEY", url_key}})->secret_key == std::string(32, '\xfb'));
}

TEST_CASE("every bad value is an error that starts with the variable name", "[core][config]") {
  const std::pair<const char*, const char*> cases[] = {
      {"CRM_HTTP_ADDR", "localhost"},
      {"CRM_LOG_LEVEL", "verbose"},
      {"CRM_AUTH_TOKEN_TTL_HOURS", "0"},
      {"CRM_AUTH_TOKEN_TTL_HOURS", "8761"},
      {"CRM_AUTH_TOKEN_TTL_HOURS", "12h"},
      {"CRM_GMAIL_INTEGRATION_ENABLED", "maybe"},
      {"CRM_GMAIL_AUTH_METHOD", "saml"},
      {"CRM_GMAIL_OAUTH_REDIRECT_URI", "ftp://crm.example/cb"},
      {"CRM_GMAIL_SECRET_KEY", "not base64!"},
      {"CRM_GMAIL_SYNC_INTERVAL_MIN", "0"},
      {"CRM_GMAIL_SYNC_INTERVAL_MIN", "10081"},
      {"CRM_GMAIL_BACKFILL_PAGE_SIZE", "501"},
      {"CRM_GMAIL_MAX_ATTACHMENT_MB", "-5"},
      {"CRM_GMAIL_ATTACH_CONCURRENCY", "65"},
      {"CRM_GMAIL_ATTACH_CONCURRENCY", " 4"},
      {"CRM_GMAIL_RATE_UNITS_SEC", "0.5"},
      {"CRM_GMAIL_RATE_UNITS_SEC", "fast"},
      {"CRM_GMAIL_RATE_UNITS_SEC", "nan"},
      {"CRM_GMAIL_RATE_UNITS_SEC", " 150"},
      {"CRM_GMAIL_RATE_UNITS_SEC", "0x96"},
      {"CRM_GMAIL_PROJECT_UNITS_SEC", "1000001"},
      {"CRM_GMAIL_PROJECT_UNITS_SEC", "20000 "},
      {"CRM_GMAIL_RETRY_MAX", "101"},
      {"CRM_GMAIL_RETRY_MAX", "99999999999999999999999"},
      {"CRM_GMAIL_HISTORY_STALE_DAYS", "366"},
      {"CRM_GMAIL_API_BASE", "gmail.googleapis.com"},
      {"CRM_GMAIL_API_BASE", "http://"},
      {"CRM_GMAIL_API_BASE", "https:///path"},
      {"CRM_GMAIL_TOKEN_URI", "oauth2.googleapis.com/token"},
      {"CRM_GMAIL_QUOTA_COSTS", "2025"},
  };
  for (auto [var, value] : cases) {
    INFO(var << "=" << value);
    auto c = load({{var, value}});
    REQUIRE_FALSE(c);
    CHECK(c.error().code == "bad_config");
    CHECK(starts_with(c.error().message, std::string{var} + ": "));
  }
}

TEST_CASE("the first bad variable is the one reported", "[core][config]") {
  auto c = load({{"CRM_LOG_LEVEL", "loud"}, {"CRM_GMAIL_AUTH_METHOD", "saml"},
                 {"CRM_GMAIL_QUOTA_COSTS", "x"}});
  REQUIRE_FALSE(c);
  CHECK(starts_with(c.error().message, "CRM_LOG_LEVEL: "));
  auto d = load({{"CRM_AUTH_TOKEN_TTL_HOURS", "0"}, {"CRM_GMAIL_AUTH_METHOD", "saml"}});
  REQUIRE_FALSE(d);
  CHECK(starts_with(d.error().message, "CRM_AUTH_TOKEN_TTL_HOURS: "));
  auto e = load({{"CRM_GMAIL_SECRET_KEY", "x"}, {"CRM_GMAIL_RETRY_MAX", "-1"}});
  REQUIRE_FALSE(e);
  CHECK(starts_with(e.error().message, "CRM_GMAIL_SECRET_KEY: "));
}

TEST_CASE("CRM_HTTP_ADDR parsing", "[core][config]") {
  struct ok_case { const char* text; const char* host; uint16_t port; };
  for (auto [text, host, port] : {ok_case{"127.0.0.1:8080", "127.0.0.1", 8080},
                                  ok_case{"localhost:0", "localhost", 0},
                                  ok_case{"0.0.0.0:65535", "0.0.0.0", 65535},
                                  ok_case{"[::1]:0", "::1", 0},
                                  ok_case{"[::]:8443", "::", 8443},
                                  ok_case{"[fe80::1%eth0]:80", "fe80::1%eth0", 80}}) {
    INFO(text);
    auto c = load({{"CRM_HTTP_ADDR", text}});
    REQUIRE(c);
    CHECK(c->http_host == host);
    CHECK(c->http_port == port);
  }
  for (const char* bad : {"localhost", "localhost:", ":8080", "host:65536", "host:-1", "host:80x",
                          "host:+80", "host: 80", "host:0x50", "host:99999999999999999999",
                          "::1", "::1:8080", "[::1]", "[::1]:", "[]:80", "[::1:80", "::1]:80"}) {
    INFO(bad);
    auto c = load({{"CRM_HTTP_ADDR", bad}});
    REQUIRE_FALSE(c);
    CHECK(starts_with(c.error().message, "CRM_HTTP_ADDR: "));
    CHECK(c.error().message.find(bad) != std::string::npos);   // not secret: echoed
  }
}

TEST_CASE("DWD mode requires a key path and a domain", "[core][config]") {
  vars v{{"CRM_GMAIL_INTEGRATION_ENABLED", "true"}};
  auto a = load(v);
  REQUIRE_FALSE(a);
  CHECK(starts_with(a.error().message, "CRM_GMAIL_SA_KEY_PATH: "));

  v["CRM_GMAIL_SA_KEY_PATH"] = "/data/sa.json";
  auto b = load(v);
  REQUIRE_FALSE(b);
  CHECK(starts_with(b.error().message, "CRM_GMAIL_WORKSPACE_DOMAIN: "));

  v["CRM_GMAIL_WORKSPACE_DOMAIN"] = "localhost";
  auto c = load(v);
  REQUIRE_FALSE(c);
  CHECK(starts_with(c.error().message, "CRM_GMAIL_WORKSPACE_DOMAIN: "));

  v["CRM_GMAIL_WORKSPACE_DOMAIN"] = "fund.example";
  auto d = load(v);
  REQUIRE(d);
  CHECK(d->secret_key.empty());   // DWD stores no refresh tokens; the key is optional

  // Disabled: nothing is required.
  CHECK(load({{"CRM_GMAIL_INTEGRATION_ENABLED", "false"}, {"CRM_GMAIL_AUTH_METHOD", "dwd"}}));
}

TEST_CASE("OAuth mode requires client id, secret, redirect URI and secret key", "[core][config]") {
  vars v{{"CRM_GMAIL_INTEGRATION_ENABLED", "1"}, {"CRM_GMAIL_AUTH_METHOD", "oauth"}};
  const std::pair<const char*, std::string> steps[] = {
      {"CRM_GMAIL_OAUTH_CLIENT_ID", "123.apps.googleusercontent.com"},
      {"CRM_GMAIL_OAUTH_CLIENT_SECRET", "GOCSPX-client-secret-value"},
      {"CRM_GMAIL_OAUTH_REDIRECT_URI", "https://crm.example/oauth/callback"},
      {"CRM_GMAIL_SECRET_KEY", key32_b64},
  };
  for (const auto& [var, value] : steps) {
    auto c = load(v);
    REQUIRE_FALSE(c);
    CHECK(starts_with(c.error().message, std::string{var} + ": "));
    CHECK(c.error().message.find("GOCSPX") == std::string::npos);
    v[var] = value;
  }
  auto ok = load(v);
  REQUIRE(ok);
  CHECK(ok->gmail_auth == auth_method::oauth);
  CHECK(ok->oauth_client_secret == "GOCSPX-client-secret-value");
  CHECK(ok->secret_key.size() == 32);
  // DWD settings are not required in OAuth mode.
  CHECK(ok->sa_key_path.empty());
}

TEST_CASE("CRM_GMAIL_SECRET_KEY errors never echo the value", "[core][config]") {
  const std::string values[] = {
      "this-is-the-secret-value!!",                               // not base64
      base64_encode("thirty-one-bytes-of-secret-key!"),           // 31 bytes
      base64_encode("thirty-three-bytes-of-secret-key!"),         // 33 bytes
      key32_b64 + "=",                                            // broken padding
  };
  for (const auto& value : values) {
    auto c = load({{"CRM_GMAIL_SECRET_KEY", value}});
    REQUIRE_FALSE(c);
    CHECK(starts_with(c.error().message, "CRM_GMAIL_SECRET_KEY: "));
    CHECK(c.error().message.find(value) == std::string::npos);
    CHECK(c.error().message.find(value.substr(0, 8)) == std::string::npos);
    CHECK(c.error().message.find("got") == std::string::npos);
  }
}

TEST_CASE("enum names and process_env", "[core][config]") {
  CHECK(std::string{to_string(auth_method::dwd)} == "dwd");
  CHECK(std::string{to_string(auth_method::oauth)} == "oauth");
  CHECK(std::string{to_string(quota_table::legacy)} == "legacy");
  CHECK(std::string{to_string(quota_table::y2026)} == "2026");

  auto env = process_env();
  ::setenv("GC_CONFIG_TEST_ONLY_VAR", "value-1", 1);
  CHECK(env("GC_CONFIG_TEST_ONLY_VAR") == std::string{"value-1"});
  ::unsetenv("GC_CONFIG_TEST_ONLY_VAR");
  CHECK_FALSE(env("GC_CONFIG_TEST_ONLY_VAR"));
}

#include "core/config.hpp"

#include "core/encoding.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace gc::core {
namespace {

error bad(const std::string& var, const std::string& expected, const std::string& got,
          bool secret = false) {
  return error{"bad_config",
               var + ": expected " + expected + (secret ? "" : ", got '" + got + "'")};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct reader {
  const env_fn& env;
  std::optional<error> err;

  // Keeps the first error only, so the report names the first bad variable.
  void fail(error e) {
    if (!err) err = std::move(e);
  }
  std::optional<std::string> get(const std::string& var) {
    auto v = env(var);
    if (v && v->empty()) return std::nullopt;  // VAR= counts as unset
    return v;
  }
  void str(const std::string& var, std::string& out) {
    if (auto v = get(var)) out = *v;
  }
  template <class Int>
  void integer(const std::string& var, Int& out, long long lo, long long hi) {
    auto v = get(var);
    if (!v || err) return;
    long long x = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
    if (ec != std::errc{} || p != v->data() + v->size() || x < lo || x > hi)
      err = bad(var, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi), *v);
    else
      out = static_cast<Int>(x);
  }
  void number(const std::string& var, double& out, double lo, double hi) {
    auto v = get(var);
    if (!v || err) return;
    double x = 0;   // from_chars, not strtod: locale-free, no leading blanks, no hex
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
    if (ec != std::errc{} || p != v->data() + v->size() || !(x >= lo && x <= hi))
      err = bad(var, "a number from " + std::to_string(static_cast<long long>(lo)) + " to " +
                         std::to_string(static_cast<long long>(hi)),
                *v);
    else
      out = x;
  }
  void boolean(const std::string& var, bool& out) {
    auto v = get(var);
    if (!v || err) return;
    auto s = lower(*v);
    if (s == "1" || s == "true" || s == "yes" || s == "on") out = true;
    else if (s == "0" || s == "false" || s == "no" || s == "off") out = false;
    else err = bad(var, "one of true/false/1/0/yes/no/on/off", *v);
  }
  void url(const std::string& var, std::string& out) {
    auto v = get(var);
    if (!v || err) return;
    size_t scheme = v->rfind("http://", 0) == 0 ? 7 : v->rfind("https://", 0) == 0 ? 8 : 0;
    if (scheme == 0 || v->size() == scheme || (*v)[scheme] == '/')  // a host must follow
      err = bad(var, "an http:// or https:// URL", *v);
    else
      out = *v;
  }
};

} // namespace

env_fn process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string{v};
    return std::nullopt;
  };
}

const char* to_string(auth_method m) { return m == auth_method::dwd ? "dwd" : "oauth"; }
const char* to_string(quota_table q) { return q == quota_table::legacy ? "legacy" : "2026"; }

result<config> load_config(const env_fn& env) {
  config c;
  reader r{env, std::nullopt};
  r.str("CRM_DB_PATH", c.db_path);
  r.str("CRM_DATA_DIR", c.data_dir);
  if (auto addr = r.get("CRM_HTTP_ADDR")) {
    auto colon = addr->rfind(':');
    long long port = -1;
    if (colon != std::string::npos && colon > 0) {
      auto ps = addr->substr(colon + 1);
      auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
      if (ec != std::errc{} || p != ps.data() + ps.size() || ps.empty()) port = -1;
    }
    std::string host = port < 0 ? "" : addr->substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);  // [v6]:port
    else if (host.find_first_of("[]:") != std::string::npos)
      host.clear();  // "::1:80" is ambiguous, "[]" and "[::1" are broken
    if (port < 0 || port > 65535 || host.empty()) {
      r.fail(bad("CRM_HTTP_ADDR", "HOST:PORT with a port from 0 to 65535 ([V6]:PORT for IPv6)",
                 *addr));
    } else {
      c.http_host = host;
      c.http_port = static_cast<uint16_t>(port);
    }
  }
  if (auto lvl = r.get("CRM_LOG_LEVEL")) {
    auto s = lower(*lvl);
    if (s != "debug" && s != "info" && s != "warn" && s != "error")
      r.fail(bad("CRM_LOG_LEVEL", "one of debug, info, warn, error", *lvl));
    else
      c.log_level = s;
  }
  r.integer("CRM_AUTH_TOKEN_TTL_HOURS", c.auth_token_ttl_hours, 1, 24 * 365);

  r.boolean("CRM_GMAIL_INTEGRATION_ENABLED", c.gmail_enabled);
  if (auto m = r.get("CRM_GMAIL_AUTH_METHOD")) {
    auto s = lower(*m);
    if (s == "dwd") c.gmail_auth = auth_method::dwd;
    else if (s == "oauth") c.gmail_auth = auth_method::oauth;
    else r.fail(bad("CRM_GMAIL_AUTH_METHOD", "dwd or oauth", *m));
  }
  r.str("CRM_GMAIL_SA_KEY_PATH", c.sa_key_path);
  r.str("CRM_GMAIL_WORKSPACE_DOMAIN", c.workspace_domain);
  c.workspace_domain = lower(c.workspace_domain);
  r.str("CRM_GMAIL_OAUTH_CLIENT_ID", c.oauth_client_id);
  r.str("CRM_GMAIL_OAUTH_CLIENT_SECRET", c.oauth_client_secret);
  r.url("CRM_GMAIL_OAUTH_REDIRECT_URI", c.oauth_redirect_uri);
  if (auto k = r.get("CRM_GMAIL_SECRET_KEY")) {
    auto raw = base64_decode(*k);
    if (!raw || raw->size() != 32)
      r.fail(bad("CRM_GMAIL_SECRET_KEY", "base64 of exactly 32 random bytes", "", true));
    else
      c.secret_key = *raw;
  }
  r.integer("CRM_GMAIL_SYNC_INTERVAL_MIN", c.sync_interval_min, 1, 7 * 24 * 60);
  r.integer("CRM_GMAIL_BACKFILL_PAGE_SIZE", c.backfill_page_size, 1, 500);
  r.integer("CRM_GMAIL_MAX_ATTACHMENT_MB", c.max_attachment_mb, 1, 1024);
  r.integer("CRM_GMAIL_ATTACH_CONCURRENCY", c.attach_concurrency, 1, 64);
  r.number("CRM_GMAIL_RATE_UNITS_SEC", c.rate_units_sec, 1, 100000);
  r.number("CRM_GMAIL_PROJECT_UNITS_SEC", c.project_units_sec, 1, 1000000);
  r.integer("CRM_GMAIL_RETRY_MAX", c.retry_max, 0, 100);
  r.integer("CRM_GMAIL_HISTORY_STALE_DAYS", c.history_stale_days, 1, 365);
  r.url("CRM_GMAIL_API_BASE", c.api_base);
  r.url("CRM_GMAIL_TOKEN_URI", c.token_uri);
  if (auto q = r.get("CRM_GMAIL_QUOTA_COSTS")) {
    auto s = lower(*q);
    if (s == "legacy") c.quota_costs = quota_table::legacy;
    else if (s == "2026") c.quota_costs = quota_table::y2026;
    else r.fail(bad("CRM_GMAIL_QUOTA_COSTS", "legacy or 2026", *q));
  }
  r.str("CRM_GMAIL_CA_FILE", c.ca_file);
  // Unset, the per-mailbox pace follows the cost table's era (gmail-api.md §3.1): projects
  // created since 2026-05 get 6,000 units/min per user (100/s): pace at 95; older ones 250/s:
  // the seed's 150.
  if (!r.get("CRM_GMAIL_RATE_UNITS_SEC"))
    c.rate_units_sec = c.quota_costs == quota_table::y2026 ? 95 : 150;
  if (r.err) return *r.err;
  while (c.api_base.size() > 1 && c.api_base.back() == '/') c.api_base.pop_back();

  // Cross-field checks, only where the integration is switched on.
  if (c.gmail_enabled && c.gmail_auth == auth_method::dwd) {
    if (c.sa_key_path.empty())
      return bad("CRM_GMAIL_SA_KEY_PATH", "the path of the service-account JSON key (DWD mode)",
                 "");
    if (c.workspace_domain.empty() || c.workspace_domain.find('.') == std::string::npos)
      return bad("CRM_GMAIL_WORKSPACE_DOMAIN", "the Workspace domain, e.g. example.com",
                 c.workspace_domain);
  }
  if (c.gmail_enabled && c.gmail_auth == auth_method::oauth) {
    if (c.oauth_client_id.empty())
      return bad("CRM_GMAIL_OAUTH_CLIENT_ID", "the OAuth client id (OAuth mode)", "");
    if (c.oauth_client_secret.empty())
      return bad("CRM_GMAIL_OAUTH_CLIENT_SECRET", "the OAuth client secret (OAuth mode)", "",
                 true);
    if (c.oauth_redirect_uri.empty())
      return bad("CRM_GMAIL_OAUTH_REDIRECT_URI", "the OAuth redirect URI (OAuth mode)", "");
    if (c.secret_key.empty())
      return bad("CRM_GMAIL_SECRET_KEY",
                 "base64 of 32 random bytes (OAuth mode stores refresh tokens encrypted)", "",
                 true);
  }
  return c;
}

} // namespace gc::core

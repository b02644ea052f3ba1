#include "core/log.hpp"

#include <regex>
#include <spdlog/sinks/stdout_sinks.h>

namespace gc::log {

void init(std::string_view level) {
  auto logger = spdlog::stderr_logger_mt("gmail-capture");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  auto lvl = spdlog::level::from_str(std::string{level});
  logger->set_level(lvl == spdlog::level::off && level != "off" ? spdlog::level::info : lvl);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

std::string redact(std::string_view text) {
  static const std::regex patterns[] = {
      std::regex{R"((Bearer\s+)[A-Za-z0-9._~+/=-]+)", std::regex::icase},
      std::regex{R"(ya29\.[A-Za-z0-9._-]+)"},
      std::regex{R"(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)"},  // JWT
      std::regex{R"(1//[A-Za-z0-9._-]{8,})"},                                // refresh token
      std::regex{
          R"(((?:access_token|refresh_token|id_token|assertion|client_secret|password|code|token|private_key)["']?\s*[=:]\s*["']?)[^&"'\s,}]+)",
          std::regex::icase},
      std::regex{R"(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)"},
  };
  std::string out{text};
  out = std::regex_replace(out, patterns[0], "$1[redacted]");
  out = std::regex_replace(out, patterns[1], "[redacted]");
  out = std::regex_replace(out, patterns[2], "[redacted-jwt]");
  out = std::regex_replace(out, patterns[3], "[redacted]");
  out = std::regex_replace(out, patterns[4], "$1[redacted]");
  out = std::regex_replace(out, patterns[5], "[redacted-key]");
  return out;
}

} // namespace gc::log

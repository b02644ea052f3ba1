#pragma once
// One line per event on stderr. Secrets are never passed to these functions; `redact` masks
// anything that looks like a credential in text that came from outside (URLs, upstream errors).
#include <spdlog/spdlog.h>
#include <string>
#include <string_view>

namespace gc::log {

// Sets the format ("2026-11-21T15:20:22.123Z info message") and the level
// ("debug", "info", "warn", "error"). Unknown levels fall back to info.
void init(std::string_view level);

using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;

// Masks bearer tokens, access tokens (ya29.*), JWTs, refresh tokens, passwords and
// secret-looking query parameters in free text.
std::string redact(std::string_view text);

} // namespace gc::log

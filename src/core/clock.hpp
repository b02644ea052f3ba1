#pragma once
// ISO-8601 UTC timestamps, the format of every time column ("2026-11-21T15:20:22.123Z").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gc::core {

using sys_time = std::chrono::system_clock::time_point;

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (milliseconds, UTC).
std::string iso8601_utc(sys_time t);
inline std::string iso8601_now() { return iso8601_utc(std::chrono::system_clock::now()); }

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+HH:MM", "-HH:MM" or
// nothing (UTC). nullopt when the text is not such a time or a field is out of range.
std::optional<sys_time> parse_iso8601(std::string_view text);

} // namespace gc::core

#include "core/clock.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace gc::core {
namespace {

bool num(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc{} && p == s.data() + pos + len;
}

} // namespace

std::string iso8601_utc(sys_time t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  int frac = static_cast<int>(((ms % 1000) + 1000) % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

std::optional<sys_time> parse_iso8601(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!num(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !num(s, 5, 2, mo) || s[7] != '-' || !num(s, 8, 2, d))
    return std::nullopt;
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!num(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' || !num(s, pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!num(s, pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
        auto digits = s.substr(start, std::min<size_t>(3, pos - start));
        num(digits, 0, digits.size(), ms);
        for (size_t k = digits.size(); k < 3; ++k) ms *= 10;
      }
    }
  }
  int offset_min = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!num(s, pos + 1, 2, oh) || s.size() < pos + 6 || s[pos + 3] != ':' || !num(s, pos + 4, 2, om))
        return std::nullopt;
      offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos += 6;
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
    return std::nullopt;  // the year bound keeps std::chrono (nanoseconds) from overflowing
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms} - minutes{offset_min};
  return time_point_cast<system_clock::duration>(t);
}

} // namespace gc::core

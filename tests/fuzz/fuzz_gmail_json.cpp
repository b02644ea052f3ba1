// libFuzzer target: arbitrary bytes -> gc::parse_json (what the capture uses) ->
// parse_gmail_json. Build and run with scripts/fuzz.
#include "core/json_parse.hpp"
#include "mime/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = gc::parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (j.is_discarded()) return 0;
  auto r = gc::mime::parse_gmail_json(j);
  if (r) {
    auto out = gc::mime::to_json(*r, true).dump();   // throws on invalid UTF-8 -> crash report
    (void)gc::mime::fallback_key(*r);
    if (out.empty()) __builtin_trap();
  }
  return 0;
}

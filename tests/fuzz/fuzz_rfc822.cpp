// libFuzzer target: arbitrary bytes as a raw RFC 822 message. Build and run with scripts/fuzz.
#include "mime/html_text.hpp"
#include "mime/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto r = gc::mime::parse_rfc822(raw);
  if (r) {
    // Everything the pipeline does with a parsed message must work on it too.
    auto j = gc::mime::to_json(*r, true).dump();   // throws on invalid UTF-8 -> crash report
    (void)gc::mime::fallback_key(*r);
    if (j.empty()) __builtin_trap();
  }
  // The same bytes as HTML exercise the HTML-to-text converter directly.
  if (size > 0 && (data[0] & 1)) (void)gc::mime::html_to_text(raw);
  return 0;
}

// libFuzzer target: arbitrary bytes -> gc::parse_json (what the capture uses) ->
// parse_gmail_json; and differentially, the direct reader (mime/gmail_input.hpp): whatever it
// accepts must be valid JSON that the parsed way reads to the same input and the same message.
// Build and run with scripts/fuzz.
#include "../support/gmail_input_same.hpp"
#include "core/json_parse.hpp"
#include "mime/gmail_input.hpp"
#include "mime/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

std::string whole(const gc::result<gc::mime::message>& m) {
  return m ? gc::mime::to_json(*m, true).dump() : "error: " + m.error().message;
}

void same_or_trap(const gc::mime::gmail_message_in& direct, const gc::json& parsed) {
  if (!gc::test::gmail_input_diff(direct, gc::mime::gmail_input_from_json(parsed)).empty()) __builtin_trap();
  if (whole(gc::mime::parse_gmail_input(direct)) != whole(gc::mime::parse_gmail_json(parsed))) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = gc::parse_json(text);
  if (auto direct = gc::mime::read_gmail_message(text)) {
    if (!j.is_object()) __builtin_trap();
    same_or_trap(*direct, j);
  }
  if (auto msgs = gc::mime::read_gmail_thread(text)) {
    if (!j.is_object()) __builtin_trap();
    auto it = j.find("messages");
    const size_t n = it != j.end() && it->is_array() ? it->size() : 0;
    if (msgs->size() != n) __builtin_trap();
    for (size_t i = 0; i < n; ++i) same_or_trap((*msgs)[i], (*it)[i]);
  }
  if (j.is_discarded()) return 0;
  auto r = gc::mime::parse_gmail_json(j);
  if (r) {
    auto out = gc::mime::to_json(*r, true).dump();   // throws on invalid UTF-8 -> crash report
    (void)gc::mime::fallback_key(*r);
    if (out.empty()) __builtin_trap();
  }
  return 0;
}

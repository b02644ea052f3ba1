// libFuzzer target, differential: gc::parse_json against nlohmann::json::parse on arbitrary
// bytes. Both must reject the same inputs and build the same value (types included) for the
// rest; the direct reader must never accept what nlohmann rejects. Run with scripts/fuzz.
#include "../support/json_same.hpp"
#include "core/json_parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto reference = gc::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  gc::json direct;
  if (gc::parse_json_direct(text, direct) && (reference.is_discarded() || !gc::test::json_same(direct, reference)))
    __builtin_trap();  // the direct reader took what nlohmann rejects, or read it differently
  auto ours = gc::parse_json(text);
  if (ours.is_discarded() != reference.is_discarded()) __builtin_trap();
  if (!ours.is_discarded() && !gc::test::json_same(ours, reference)) __builtin_trap();
  return 0;
}

#pragma once
// Google's `fields` partial-response selector: "id,payload/headers,messages(id,threadId)",
// "*" for every key. Arrays are filtered element by element. Used by every Gmail route.
#include "core/json.hpp"
#include "core/result.hpp"

#include <string_view>

namespace gc::sim {

// Error code "invalid_argument" for unbalanced parentheses or empty names.
gc::result<json> apply_fields(const json& value, std::string_view fields);

} // namespace gc::sim

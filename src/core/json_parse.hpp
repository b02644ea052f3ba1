#pragma once
// parse_json: the same value as json::parse(text, nullptr, false), several times faster on the
// large machine-written answers the capture reads (Gmail messages carry their parts as long
// base64url strings; nlohmann's lexer copies those one character at a time, twice).
//
// A direct reader takes well-formed UTF-8 JSON whose numbers are integers (what Google sends)
// and copies plain string runs at once. Anything else it leaves to nlohmann::json::parse:
// fractions and exponents, integers outside 64 bits, \u escapes of surrogates, a byte order
// mark, nesting deeper than 256, and every invalid input, so invalid text gives nlohmann's
// discarded value. tests/unit/core/json_parse_test.cpp and the json_parse fuzz target compare
// the two on the same inputs.
#include "core/json.hpp"

#include <string_view>

namespace gc {

// The parsed value; is_discarded() when `text` is not one valid JSON value.
json parse_json(std::string_view text);

// The direct reader alone (for tests): false where parse_json hands over to nlohmann.
bool parse_json_direct(std::string_view text, json& out);

} // namespace gc

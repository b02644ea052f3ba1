#pragma once
// Byte encodings: base64 (standard and URL-safe, padded or not), hex, percent-encoding.
#include <optional>
#include <string>
#include <string_view>

namespace gc::core {

std::string base64_encode(std::string_view bytes);            // standard alphabet, padded
std::string base64url_encode(std::string_view bytes, bool pad = false);
// Accepts both alphabets, with or without padding, ignoring ASCII whitespace. nullopt if the
// text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

// &, <, >, " and ' as HTML entities (text and attribute values).
std::string html_escape(std::string_view s);

std::string url_encode(std::string_view s);                   // RFC 3986 unreserved kept
std::optional<std::string> url_decode(std::string_view s, bool plus_is_space = true);

} // namespace gc::core

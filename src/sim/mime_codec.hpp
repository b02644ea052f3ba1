#pragma once
// Small MIME codecs for the simulator: quoted-printable, RFC 2047 encoded words, RFC 2231
// parameters, and the three charsets the generator writes (utf-8, iso-8859-1, windows-1252).
#include <optional>
#include <string>
#include <string_view>

namespace gc::sim {

std::string qp_encode(std::string_view bytes);        // CRLF kept as hard breaks, lines <= 76
std::string qp_decode(std::string_view text);
std::string base64_lines(std::string_view bytes);     // standard base64, CRLF every 76 chars

// Charset conversion. Unknown charsets pass bytes through unchanged.
std::string to_utf8(std::string_view bytes, std::string_view charset);
// UTF-8 -> latin-1 / windows-1252; unmappable code points become '?'. utf-8 passes through.
std::string from_utf8(std::string_view utf8, std::string_view charset);

// RFC 2047: encode UTF-8 `text` as encoded words in `charset` with 'B' or 'Q', split so each
// word stays <= 75 chars and never cuts a character. Decoding accepts B/Q in any known charset
// and drops whitespace between adjacent encoded words.
std::string rfc2047_encode(std::string_view utf8_text, std::string_view charset, char enc);
std::string rfc2047_decode(std::string_view value);

// Content-Type / Content-Disposition parameter (RFC 2045 + RFC 2231 `name*` and `name*0*`),
// decoded to UTF-8; nullopt when absent.
std::optional<std::string> header_param(std::string_view header_value, std::string_view name);
std::string header_main_value(std::string_view header_value);   // "text/plain" (lower-cased)

std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string trim(std::string_view s);

} // namespace gc::sim

#pragma once
// A minimal MIME splitter for real mail (.eml, mbox, drafts.create/messages.send bodies):
// headers (unfolded), multipart boundaries, message/rfc822 nesting, base64/QP decoding.
// Tolerant: LF or CRLF line ends, unterminated multiparts, unknown encodings kept verbatim.
#include "sim/message_render.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gc::sim {

mail_part parse_message(std::string_view raw);

// Normalises line ends to CRLF (bare LF and bare CR become CRLF).
std::string to_crlf(std::string_view text);

// Splits an mbox file (mboxo/mboxrd: "From " separator lines, ">From " unescaped) into
// messages, separator lines removed.
std::vector<std::string> split_mbox(std::string_view text);

// "<a@b> <c@d>" -> {"<a@b>", "<c@d>"}
std::vector<std::string> message_id_list(std::string_view value);

// Addresses (lower-cased) out of an address-list header value: "A <a@x>, b@y" -> {a@x, b@y}.
std::vector<std::string> address_list(std::string_view value);

} // namespace gc::sim

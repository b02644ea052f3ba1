#pragma once
// Test helper: builds the Gmail users.messages.get format=full JSON for a raw message, the way
// Gmail lays it out (partId numbering, headers [{name,value}] unfolded, body.data base64url of
// the transfer-decoded bytes in the part's own charset, attachmentId for attachments,
// message/rfc822 parts carrying the inner message as their single child). Written against
// GMime directly, independent of src/mime's front ends.
#include "core/json.hpp"

#include <string_view>

namespace gc::test {

struct gmail_json_options {
  bool attachments_by_id = false;  // attachments as body.attachmentId instead of body.data
  bool decode_headers = false;     // RFC 2047-decode header values (as some Gmail fields are)
  bool padded = true;              // base64url with '=' padding
};

gc::json gmail_json_from_raw(std::string_view raw, const gmail_json_options& o = {});

} // namespace gc::test

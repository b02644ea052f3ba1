#pragma once
// Real-world-shaped tricky mail, as raw strings (mu style), defined in fixtures.cpp. LF line
// ends unless noted; GMime accepts both, and crlf() converts for the CRLF variants.
#include <string>

namespace gc::test::mail {

inline std::string crlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

extern const std::string headers_2047;      // RFC 2047 (UTF-8 B/Q, latin-1), groups, IDN, threading
extern const std::string malformed_words;   // broken encoded words, unknown header charset
extern const std::string eight_bit_header;  // raw latin-1 header bytes, unknown body charset x-foo
extern const std::string rfc2231;           // continued RFC 2231 filename, RFC 2047 name parameter
extern const std::string cp1252_qp;         // windows-1252 / latin-1 quoted-printable (euro, quotes)
extern const std::string japanese;          // ISO-2022-JP and Shift_JIS
extern const std::string html_only;         // HTML only: script/style/entities/lists/links; list headers
extern const std::string alternative;       // multipart/alternative
extern const std::string related;           // multipart/related with a cid image, plus an attachment
extern const std::string forwarded;         // message/rfc822 with its own attachment
extern const std::string no_id_a;           // no Message-ID
extern const std::string no_id_b;           // no Message-ID, other body
extern const std::string broken_date;       // unparseable Date
extern const std::string empty_body;        // multipart with an empty text part

} // namespace gc::test::mail

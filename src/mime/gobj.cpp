// GMime initialisation, per-parse options and the warning collector.
#include "mime/gobj.hpp"
#include "mime/part_tree.hpp"

#include <algorithm>
#include <mutex>

namespace gc::mime {

void init_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

parser_options_ptr make_parser_options() {
  init_gmime_once();
  parser_options_ptr o{g_mime_parser_options_new()};
  g_mime_parser_options_set_rfc2047_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  // Undeclared 8-bit header text: UTF-8 if it is valid UTF-8, else windows-1252. The list is
  // copied by GMime, so a local array is fine.
  const char* charsets[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(o.get(), charsets);
  return o;
}

namespace detail {
namespace {

constexpr size_t max_warnings = 50;

const char* describe(GMimeParserWarning w) {
  switch (w) {
    case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated header parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type, treated as application/octet-stream";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 encoded word";
    case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without boundary";
    case GMIME_WARN_INVALID_PARAMETER: return "invalid header parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting too deep";
    case GMIME_WARN_PART_WITHOUT_CONTENT: return "MIME part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "MIME part without headers or content";
  }
  return "MIME problem";
}

void on_gmime_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item, gpointer user) {
  auto* cx = static_cast<context*>(user);
  std::string text = describe(code);
  if (item && *item) {
    std::string it(item, std::min<size_t>(std::char_traits<char>::length(item), 80));
    text += ": " + make_valid_utf8(std::move(it));
  }
  cx->warn(std::move(text));
}

} // namespace

void context::warn(std::string text) {
  if (warnings.size() > max_warnings) return;
  if (std::find(warnings.begin(), warnings.end(), text) != warnings.end()) return;
  if (warnings.size() == max_warnings) text = "further warnings suppressed";
  warnings.push_back(std::move(text));
}

context::context() : options{make_parser_options()} {
  g_mime_parser_options_set_warning_callback(options.get(), on_gmime_warning, this);
}

} // namespace detail
} // namespace gc::mime

#pragma once
// Serving untrusted mail content: the HTML body for a sandboxed iframe and attachment files.
// Pure functions (no I/O), unit-tested in tests/unit/http/content_safety_test.cpp.
#include "store/email_read_rows.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gc::http {

// The URL path of an attachment: "/api/email/attachments/<id>".
std::string attachment_path(int64_t attachment_id);

// Rewrites every "cid:<content-id>" reference (attribute values such as src="cid:x", CSS
// url(cid:x)) that names one of `parts` into attachment_path(part.id). References to unknown
// content ids are left alone (the CSP blocks them). Content ids compare exactly after
// percent-decoding (RFC 2392), then case-insensitively.
std::string rewrite_cid_refs(std::string_view html, const std::vector<store::attachment_ref>& parts);

// The Content-Security-Policy of the HTML route: sandbox (no scripts, forms, popups or
// same-origin access), nothing loads except images from the attachment route of `host` (the
// request's Host header; it must be a plain host[:port], else no image source is allowed)
// and inline styles.
std::string html_csp(std::string_view host);

// `Content-Disposition: attachment; filename="<ascii>"; filename*=UTF-8''<pct-encoded>`.
// Control characters (CR, LF, ...), quotes, backslashes and path separators never appear;
// the ASCII fallback replaces every other non-ASCII character with '_'. An empty or unusable
// name becomes "attachment".
std::string content_disposition(std::string_view filename);

// The content type to serve: the stored type/subtype (lower case, no parameters) when it is a
// well-formed, passive type; application/octet-stream for active types a browser could
// execute or render with script (HTML, XHTML, SVG, XML, JavaScript, ...) and for anything
// malformed or empty.
std::string safe_content_type(std::string_view stored);

} // namespace gc::http

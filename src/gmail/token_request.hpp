#pragma once
// One POST to Google's OAuth token endpoint (form-encoded), shared by the DWD and OAuth
// providers: parses {"access_token","expires_in","refresh_token"?,"scope"?} or classifies the
// error, and retries once on `internal_failure` as google-auth does (gmail-api.md §1.1).
#include "gmail/outcome.hpp"
#include "net/http_client.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::gmail {

struct token_grant {
  std::string access_token;                     // never log it
  std::chrono::seconds expires_in{0};
  std::optional<std::string> refresh_token;     // authorization_code grant (and rotations)
  std::string scope;                            // space-delimited; what was actually granted
};

using form_fields = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%20y" (RFC 3986 percent-encoding of names and values).
std::string encode_form(const form_fields& fields);

// `done` runs once on the HTTP client's I/O thread.
void post_token_form(net::http_client& http, const std::string& token_uri, form_fields form,
                     std::chrono::milliseconds timeout, std::function<void(outcome<token_grant>)> done);

// Parses a 200 body (exposed for tests).
outcome<token_grant> parse_token_grant(std::string_view body);

} // namespace gc::gmail

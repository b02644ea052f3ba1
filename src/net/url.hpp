#pragma once
// Absolute http:// and https:// URLs, split for the client: scheme, host, port, target.
// No user-info, no relative references; the fragment is dropped.
#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gc::net {

struct url {
  std::string scheme;    // "http" or "https" (lower-cased)
  std::string host;      // lower-cased; IPv6 literals without brackets ("::1")
  uint16_t port = 0;     // explicit, or 80 / 443 by scheme
  std::string target;    // path + query, always starting with '/'

  bool tls() const { return scheme == "https"; }
  bool default_port() const { return port == (tls() ? 443 : 80); }
  // "host", "host:8080", "[::1]:8080": the Host header value.
  std::string authority() const;
  // "https://host:443": the connection-pool key (always with the port).
  std::string origin() const;
};

// Error code "bad_url". The message never repeats the path or query (they may carry secrets).
gc::result<url> parse_url(std::string_view text);

} // namespace gc::net

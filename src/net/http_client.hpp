#pragma once
// Outbound HTTP(S) client (Beast + OpenSSL) for Google's token endpoint and the Gmail API.
// Connection reuse per host (kept-alive connections, one request at a time each, a bounded
// number per host), certificate and host-name verification against the system store or a CA
// file, connect/read timeouts, bounded response size. Runs on its own io_context thread;
// completion callbacks run on that thread and must not block.
#include "core/result.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace gc::net {

struct http_request {
  std::string method = "GET";
  std::string url;                               // http://host:port/path?query or https://...
  std::map<std::string, std::string> headers;    // sent as given (Host is added)
  std::string body;
  std::chrono::milliseconds timeout{30000};      // whole exchange once connected
};

struct http_response {
  unsigned status = 0;
  std::map<std::string, std::string> headers;    // lower-cased names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

struct client_options {
  std::string ca_file;                           // extra trust anchor (tests: the simulator's CA)
  bool use_system_store = true;                  // ca-certificates
  std::chrono::milliseconds connect_timeout{10000};
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  std::size_t max_connections_per_host = 8;
  std::string user_agent = "gmail-capture";
};

// Errors (gc::error::code): "bad_url", "resolve", "connect", "tls" (handshake/verification),
// "timeout", "network" (reset, eof mid-response), "too_large", "misuse" (request_sync on the
// client's own I/O thread). Messages name the host and the failing step, never headers or
// bodies (they may carry tokens). An HTTP error status (4xx/5xx) is a response, not an error.
// Only a request that met a stale kept-alive connection (eof/reset before any response byte)
// is retried, once, on a fresh connection; everything else is for the caller to retry.
class http_client {
public:
  explicit http_client(client_options opts = {});
  // Cancels running and queued requests (their callbacks get "network"), then joins the I/O
  // thread. Do not destroy the client from one of its own callbacks.
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  using callback = std::function<void(gc::result<http_response>)>;
  // Thread-safe. `done` is called exactly once, on the client's I/O thread.
  void request(http_request req, callback done);
  // Blocking convenience for CLI commands and tests. It waits on a promise, so it must not run
  // on the client's own I/O thread (i.e. inside a callback): that is detected and fails with
  // "misuse" instead of deadlocking.
  gc::result<http_response> request_sync(http_request req);

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace gc::net

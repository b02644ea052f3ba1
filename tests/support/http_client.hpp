#pragma once
// A small blocking HTTP/1.1 client for tests (Beast, sync). Not used by the product.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace gc::test {

struct http_reply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

struct http_request_opts {
  std::map<std::string, std::string> headers;
  std::string body;
  std::string content_type = "application/json";
};

// One request on a fresh connection. Throws on connection errors.
http_reply http_call(const std::string& host, uint16_t port, const std::string& method,
                     const std::string& target, const http_request_opts& o = {});

// A kept-alive connection for several requests.
class http_connection {
public:
  http_connection(const std::string& host, uint16_t port);
  ~http_connection();
  http_reply call(const std::string& method, const std::string& target, const http_request_opts& o = {});
  bool is_open() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace gc::test

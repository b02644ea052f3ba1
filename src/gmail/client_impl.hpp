#pragma once
// Internal to src/gmail/client*.cpp: the authorised request with its one 401 retry.
#include "gmail/client.hpp"

namespace gc::gmail {

struct client::impl : std::enable_shared_from_this<client::impl> {
  impl(net::http_client& h, std::shared_ptr<auth_provider> a, client_options o)
      : http{h}, auth{std::move(a)}, opts{std::move(o)} {}

  net::http_client& http;
  std::shared_ptr<auth_provider> auth;
  client_options opts;

  using response_fn = std::function<void(outcome<net::http_response>)>;

  // Token -> request -> (401: invalidate, once more) -> 2xx response or classified error.
  // `history_call`: a 404 is history_expired.
  void send(const std::string& mailbox, net::http_request req, bool history_call, response_fn done,
            int attempt = 0);

  // Runs `f` on the configured executor (or inline).
  void run(std::function<void()> f) const {
    if (opts.executor)
      opts.executor(std::move(f));
    else
      f();
  }

  std::string url(const std::string& target) const;
};

} // namespace gc::gmail

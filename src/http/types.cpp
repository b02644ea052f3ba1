#include "http/types.hpp"

namespace gc::http {

std::optional<std::string> request_ctx::q(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

response_t json_response(unsigned status, const json& body) {
  return json_text_response(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

response_t json_text_response(unsigned status, std::string body) {
  response_t res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response_t error_response(unsigned status, std::string code, std::string message) {
  return json_response(status, json{{"error", {{"code", std::move(code)}, {"message", std::move(message)}}}});
}

} // namespace gc::http

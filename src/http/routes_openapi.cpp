// GET /api/openapi.json: the OpenAPI document of every route (openapi.hpp). Open, like login:
// the description of an on-box API is not secret, and clients fetch it before they have a
// token.
#include "http/api.hpp"
#include "http/openapi.hpp"

namespace gc::http {

void add_openapi_routes(router& r, api_context&) {
  r.get("/api/openapi.json", access::open, [](request_ctx, reply_fn reply) {
    response_t res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::cache_control, "no-cache");
    res.body() = std::string{openapi_document()};
    res.prepare_payload();
    reply(std::move(res));
  });
}

} // namespace gc::http

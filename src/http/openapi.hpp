#pragma once
// The OpenAPI 3.0 description of every route (src/http/openapi.json, compiled in by
// cmake/embed_openapi.cmake), served at GET /api/openapi.json (routes_openapi.cpp).
// tests/unit/http/openapi_test.cpp checks that it lists exactly the routes the router has.
#include <string_view>

namespace gc::http {

// The document as JSON text, with "@GC_VERSION@" replaced by the build's version.
std::string_view openapi_document();

} // namespace gc::http

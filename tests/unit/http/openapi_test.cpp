// GET /api/openapi.json and its parity with the router: every route make_api_router registers
// is documented with the same method, path and access, and the document lists no route the
// router lacks. A new route without documentation fails here. (The document's validity as
// OpenAPI 3 is checked by a real validator: tests/node/openapi.test.mjs.)
#include "api_fixture.hpp"
#include "http/openapi.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <tuple>

using namespace gc;
using gc::test::api_fixture;

namespace {

const char* access_name(http::access a) {
  switch (a) {
    case http::access::open: return "open";
    case http::access::user: return "user";
    case http::access::admin: return "admin";
  }
  return "?";
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using op = std::tuple<std::string, std::string, std::string>;  // method, path, access

std::set<op> documented(const json& doc) {
  static const std::set<std::string> methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<op> out;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, operation] : item.items())
      if (methods.count(method)) out.insert({method, path, operation.value("x-access", std::string{"<none>"})});
  return out;
}

} // namespace

TEST_CASE("openapi: the document lists exactly the router's routes, with their access", "[api][openapi]") {
  api_fixture f;
  auto doc = json::parse(http::openapi_document());
  std::set<op> registered;
  for (const auto& r : f.router().routes())
    registered.insert({lower(http::bhttp::to_string(r.verb)), r.pattern, access_name(r.acc)});
  auto listed = documented(doc);
  for (const auto& r : registered) {
    INFO("registered but not documented (or documented with another x-access): " << std::get<0>(r) << ' '
                                                                                  << std::get<1>(r) << " ["
                                                                                  << std::get<2>(r) << ']');
    CHECK(listed.count(r) == 1);
  }
  for (const auto& d : listed) {
    INFO("documented but not registered: " << std::get<0>(d) << ' ' << std::get<1>(d) << " [" << std::get<2>(d)
                                           << ']');
    CHECK(registered.count(d) == 1);
  }
  CHECK(registered.size() == f.router().routes().size());  // no route registered twice
}

TEST_CASE("openapi: open routes need no token, the others the bearer scheme", "[api][openapi]") {
  auto doc = json::parse(http::openapi_document());
  REQUIRE(doc.at("components").at("securitySchemes").at("bearer").at("scheme") == "bearer");
  REQUIRE(doc.at("security") == json::parse(R"([{"bearer": []}])"));
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, operation] : item.items()) {
      INFO(method << ' ' << path);
      auto acc = operation.value("x-access", std::string{});
      bool open = operation.contains("security") && operation["security"] == json::array();
      CHECK(open == (acc == "open"));
      if (acc == "admin") {
        CHECK_THAT(operation.value("description", ""), Catch::Matchers::Contains("Admin-only"));
        CHECK(operation.at("responses").contains("403"));
      }
      if (!open) CHECK(operation.at("responses").contains("401"));
      if (path.rfind("/api/email/", 0) == 0 && path != "/api/email/status" && path != "/api/email/oauth/callback")
        CHECK(operation.at("responses").contains("503"));
    }
}

TEST_CASE("openapi: every {name} of a path is a declared, required path parameter", "[api][openapi]") {
  auto doc = json::parse(http::openapi_document());
  const auto& shared = doc.at("components").at("parameters");
  for (const auto& [path, item] : doc.at("paths").items()) {
    std::set<std::string> in_path;
    for (size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1))
      in_path.insert(path.substr(i + 1, path.find('}', i) - i - 1));
    for (const auto& [method, operation] : item.items()) {
      INFO(method << ' ' << path);
      std::set<std::string> declared;
      for (auto p : operation.value("parameters", json::array())) {
        if (p.contains("$ref")) {
          auto ref = p["$ref"].get<std::string>();
          const std::string prefix = "#/components/parameters/";
          REQUIRE(ref.rfind(prefix, 0) == 0);
          p = shared.at(ref.substr(prefix.size()));
        }
        if (p.at("in") == "path") {
          CHECK(p.value("required", false));
          declared.insert(p.at("name").get<std::string>());
        }
      }
      CHECK(declared == in_path);
    }
  }
}

TEST_CASE("openapi: GET /api/openapi.json serves the document without a token", "[api][openapi]") {
  api_fixture f;
  auto r = test::http_call("127.0.0.1", f.port(), "GET", "/api/openapi.json");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.body == http::openapi_document());
  auto doc = json::parse(r.body);
  CHECK(doc["openapi"] == "3.0.3");
  CHECK(doc["info"]["version"] == GC_VERSION);
  CHECK(f.get("/api/openapi.json", "not-a-token").status == 200);  // a bad token does not matter
}

#include "gmail/token_request.hpp"

#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

#include <memory>

namespace gc::gmail {
namespace {

void attempt(net::http_client& http, std::shared_ptr<const net::http_request> req, int tries_left,
             std::function<void(outcome<token_grant>)> done) {
  http.request(*req, [&http, req, tries_left, done = std::move(done)](gc::result<net::http_response> r) mutable {
    if (!r) return done(from_net_error(r.error()));
    if (r->status == 200) return done(parse_token_grant(r->body));
    auto err = classify(r->status, r->body, false, r->header("retry-after"));
    if (err.reason == "internal_failure" && tries_left > 0) {
      gc::log::warn("token endpoint internal_failure; retrying once");
      return attempt(http, req, tries_left - 1, std::move(done));
    }
    done(std::move(err));
  });
}

} // namespace

std::string encode_form(const form_fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += core::url_encode(k);
    out += '=';
    out += core::url_encode(v);
  }
  return out;
}

outcome<token_grant> parse_token_grant(std::string_view body) {
  auto j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object()) return bad_response("the token endpoint answered 200 without a JSON object");
  token_grant g;
  auto at = j.find("access_token");
  if (at == j.end() || !at->is_string() || at->get<std::string>().empty())
    return bad_response("the token endpoint's answer has no access_token");
  g.access_token = at->get<std::string>();
  auto exp = j.find("expires_in");
  if (exp != j.end() && exp->is_number())
    g.expires_in = std::chrono::seconds(exp->get<int64_t>());
  else if (exp != j.end() && exp->is_string())
    g.expires_in = std::chrono::seconds(std::strtoll(exp->get<std::string>().c_str(), nullptr, 10));
  else
    g.expires_in = std::chrono::seconds(3599);   // (choice) Google always sends it
  if (auto rt = j.find("refresh_token"); rt != j.end() && rt->is_string() && !rt->get<std::string>().empty())
    g.refresh_token = rt->get<std::string>();
  if (auto sc = j.find("scope"); sc != j.end() && sc->is_string()) g.scope = sc->get<std::string>();
  return g;
}

void post_token_form(net::http_client& http, const std::string& token_uri, form_fields form,
                     std::chrono::milliseconds timeout, std::function<void(outcome<token_grant>)> done) {
  auto req = std::make_shared<net::http_request>();
  req->method = "POST";
  req->url = token_uri;
  req->headers["Content-Type"] = "application/x-www-form-urlencoded";
  req->headers["Accept"] = "application/json";
  req->body = encode_form(form);
  req->timeout = timeout;
  attempt(http, std::move(req), 1, std::move(done));
}

} // namespace gc::gmail

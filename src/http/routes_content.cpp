// Mail content for the browser (issue 5), for any signed-in user:
//   GET /api/email/messages/{id}/html   the HTML body for a sandboxed iframe (text/html)
//   GET /api/email/attachments/{id}     the stored file, always as a download
// Both serve only mail of shown (matched, live) threads; 404 otherwise, and 404 when there is
// no HTML body or the file is not downloaded (yet). See content_safety.hpp for the headers.
#include "actors/attachment_store.hpp"
#include "core/log.hpp"
#include "http/content_safety.hpp"
#include "http/query_params.hpp"
#include "http/route_util.hpp"
#include "store/email_query_repo.hpp"
#include "store/read_connection.hpp"

#include <fstream>
#include <iterator>

namespace gc::http {
namespace {

response_t internal(const char* what, const gc::error& e) {
  gc::log::error("{}: store read failed: {}", what, e.message);
  return error_response(500, "internal", "the database could not be read");
}

// Headers every piece of mail content carries.
void harden(response_t& res) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
}

std::string host_of(const request_ctx& req) {
  auto it = req.req.find(bhttp::field::host);
  return it == req.req.end() ? std::string{} : std::string{it->value()};
}

void message_html(api_context& ctx, const request_ctx& req, const reply_fn& reply) {
  auto id = path_id(req, "id");
  if (!id) return reply(bad_param(id.error()));
  auto body = store::email_query_repo{store::api_read_connection(ctx.cfg.db_path)}.message_html(*id);
  if (!body) return reply(internal("message html", body.error()));
  if (!*body) return reply(error_response(404, "not_found", "no message " + std::to_string(*id)));
  if ((*body)->html.empty())
    return reply(error_response(404, "no_html", "message " + std::to_string(*id) + " has no HTML body"));
  response_t res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.set("Content-Security-Policy", html_csp(host_of(req)));
  harden(res);
  res.body() = rewrite_cid_refs((*body)->html, (*body)->parts);
  res.prepare_payload();
  reply(std::move(res));
}

std::string not_stored_reason(const store::attachment_ref& a) {
  auto id = std::to_string(a.id);
  if (a.status == "too_large")
    return "attachment " + id + " was not downloaded: it is over CRM_GMAIL_MAX_ATTACHMENT_MB";
  if (a.status == "failed")
    return "attachment " + id + " is not downloaded yet: the last download failed and will be retried";
  return "attachment " + id + " is not downloaded yet (status " + a.status + ")";
}

// A content-store path as the attachment store writes it: email_attachments/xx/<hex>.
bool store_path_ok(const std::string& p) {
  constexpr std::string_view prefix = "email_attachments/";
  if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0) return false;
  for (char c : p.substr(prefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '/')) return false;
  return p.find("//") == std::string::npos;
}

void attachment(api_context& ctx, const request_ctx& req, const reply_fn& reply) {
  auto id = path_id(req, "id");
  if (!id) return reply(bad_param(id.error()));
  auto found = store::email_query_repo{store::api_read_connection(ctx.cfg.db_path)}.attachment(*id);
  if (!found) return reply(internal("attachment", found.error()));
  if (!*found) return reply(error_response(404, "not_found", "no attachment " + std::to_string(*id)));
  const auto& f = **found;
  if (!f.meta.downloaded) return reply(error_response(404, "not_downloaded", not_stored_reason(f.meta)));
  const auto missing = error_response(404, "file_missing", "the file of attachment " + std::to_string(*id) +
                                                               " is missing from the attachment store");
  if (!store_path_ok(f.storage_path)) {
    gc::log::error("attachment {}: unexpected storage path in the database", *id);
    return reply(missing);
  }
  std::ifstream in{actors::attachment_store{ctx.cfg.data_dir}.absolute_path(f.storage_path), std::ios::binary};
  if (!in.is_open()) {
    gc::log::warn("attachment {}: file missing from the store", *id);
    return reply(missing);
  }
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    gc::log::warn("attachment {}: file unreadable", *id);
    return reply(missing);
  }
  response_t res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, safe_content_type(f.meta.content_type));
  res.set(bhttp::field::content_disposition, content_disposition(f.meta.filename));
  res.set("Content-Security-Policy", "sandbox; default-src 'none'");
  harden(res);
  res.body() = std::move(bytes);
  res.prepare_payload();
  reply(std::move(res));
}

} // namespace

void add_content_routes(router& r, api_context& ctx) {
  r.get("/api/email/messages/{id}/html", access::user, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
          message_html(ctx, req, reply);
        }));
  r.get("/api/email/attachments/{id}", access::user, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
          attachment(ctx, req, reply);
        }));
}

} // namespace gc::http

// Threads of an investor and a thread's messages (issue 5), for any signed-in user:
//   GET /api/email/threads?investor_id=&limit=&cursor=
//       {"investor_id", "threads": [thread], "next_cursor": string|null}
//       thread = {"id","subject","message_count","last_message_at",
//                 "last_message": {"id","from","snippet"}}
//   GET /api/email/threads/{id}
//       {"id","subject","messages": [message]}   (oldest first, live messages only)
// Only matched threads are shown (store/email_query_repo.hpp); 404 otherwise. Bad parameters
// are a 400 naming them (query_params.hpp); 503 while the integration is off.
#include "core/log.hpp"
#include "http/json_writer.hpp"
#include "http/mail_json.hpp"
#include "http/query_params.hpp"
#include "http/route_util.hpp"
#include "store/email_query_repo.hpp"
#include "store/read_connection.hpp"

namespace gc::http {
namespace {

constexpr char threads_cursor = 't';

response_t internal(const char* what, const gc::error& e) {
  gc::log::error("{}: store read failed: {}", what, e.message);
  return error_response(500, "internal", "the database could not be read");
}

void write_thread(json_writer& w, const store::thread_summary& t) {
  w.begin_object();
  w.key("id").value(t.id).key("subject").value(t.subject);
  w.key("message_count").value(t.message_count).key("last_message_at").value(t.last_message_at);
  w.key("last_message").begin_object().key("id").value(t.last_email_id);
  w.key("from").begin_object().key("name").value(t.last_from.name).key("email").value(t.last_from.email).end_object();
  w.key("snippet").value(t.snippet).end_object();
  w.end_object();
}

json message_json(const store::thread_message& m) {
  return {{"id", m.id},
          {"message_id", m.message_id ? json(*m.message_id) : json(nullptr)},
          {"subject", m.subject},
          {"from", party_json(m.from)},
          {"to", parties_json(m.to)},
          {"cc", parties_json(m.cc)},
          {"date", m.date ? json(*m.date) : json(nullptr)},
          {"direction", m.direction},
          {"snippet", m.snippet},
          {"body_text", m.body_text ? json(*m.body_text) : json(nullptr)},
          {"has_html", m.has_html},
          {"html_url", m.has_html ? json("/api/email/messages/" + std::to_string(m.id) + "/html")
                                  : json(nullptr)},
          {"mailboxes", mailboxes_json(m.mailboxes)},
          {"investors", investors_json(m.investors)},
          {"attachments", attachments_json(m.attachments)}};
}

void list_threads(api_context& ctx, const request_ctx& req, const reply_fn& reply) {
  auto investor = query_id(req, "investor_id");
  if (!investor) return reply(bad_param(investor.error()));
  if (!*investor) return reply(bad_param({"investor_id", "required"}));
  auto limit = query_limit(req);
  if (!limit) return reply(bad_param(limit.error()));
  auto cursor = query_cursor(req, threads_cursor);
  if (!cursor) return reply(bad_param(cursor.error()));

  store::email_query_repo repo{store::api_read_connection(ctx.cfg.db_path)};
  auto exists = repo.investor_exists(**investor);
  if (!exists) return reply(internal("threads", exists.error()));
  if (!*exists) return reply(error_response(404, "not_found", "no investor " + std::to_string(**investor)));
  auto page = repo.investor_threads(**investor, *limit, *cursor);
  if (!page) return reply(internal("threads", page.error()));
  // Written straight as text: 50 threads as a json DOM cost more than the page's SQL.
  json_writer w;
  w.begin_object().key("investor_id").value(**investor).key("threads").begin_array();
  for (const auto& t : page->items) write_thread(w, t);
  w.end_array().key("next_cursor");
  if (page->next) w.value(encode_cursor(threads_cursor, *page->next));
  else w.null();
  reply(json_text_response(200, w.end_object().take()));
}

void show_thread(api_context& ctx, const request_ctx& req, const reply_fn& reply) {
  auto id = path_id(req, "id");
  if (!id) return reply(bad_param(id.error()));
  store::email_query_repo repo{store::api_read_connection(ctx.cfg.db_path)};
  auto t = repo.thread(*id);
  if (!t) return reply(internal("thread", t.error()));
  if (!*t) return reply(error_response(404, "not_found", "no thread " + std::to_string(*id)));
  json messages = json::array();
  for (const auto& m : (*t)->messages) messages.push_back(message_json(m));
  reply(json_response(200, {{"id", (*t)->id}, {"subject", (*t)->subject}, {"messages", messages}}));
}

} // namespace

void add_thread_routes(router& r, api_context& ctx) {
  r.get("/api/email/threads", access::user, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
          list_threads(ctx, req, reply);
        }));
  r.get("/api/email/threads/{id}", access::user, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
          show_thread(ctx, req, reply);
        }));
}

} // namespace gc::http

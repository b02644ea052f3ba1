// The admin email-activity panel (seed 004, issue 5), admin-only:
//   GET /api/email/activity?investor_id=&account_id=&direction=&q=&since=&until=&limit=&cursor=
//       {"items": [item], "next_cursor": string|null}   newest first
//       item = {"id","thread_id","subject","snippet","from","to","cc","date","direction",
//               "has_body","attachment_count","mailboxes","investors"}
//   GET /api/email/activity/investors
//       {"investors": [{"id","name","has_email"}]}      every non-graveyard investor, by name
// Semantics (live mail, direction, graveyard) in store/activity_repo.hpp. Bad parameters are a
// 400 naming them (query_params.hpp); 503 while the integration is off.
#include "core/log.hpp"
#include "http/json_writer.hpp"
#include "http/query_params.hpp"
#include "http/route_util.hpp"
#include "store/activity_repo.hpp"
#include "store/read_connection.hpp"

namespace gc::http {
namespace {

constexpr char activity_cursor = 'a';
constexpr size_t max_query_chars = 500;

response_t internal(const char* what, const gc::error& e) {
  gc::log::error("{}: store read failed: {}", what, e.message);
  return error_response(500, "internal", "the database could not be read");
}

// An item written straight as text (json_writer): 50 items with their parties, mailboxes and
// investors as a json DOM cost more than the page's SQL. Keys in the order json's dump sorts
// them, so the bytes are those of the DOM this replaced.
void write_party(json_writer& w, const store::party& p) {
  w.begin_object().key("email").value(p.email).key("name").value(p.name).end_object();
}

void write_parties(json_writer& w, const std::vector<store::party>& ps) {
  w.begin_array();
  for (const auto& p : ps) write_party(w, p);
  w.end_array();
}

void write_item(json_writer& w, const store::activity_item& it) {
  w.begin_object();
  w.key("attachment_count").value(it.attachment_count).key("cc");
  write_parties(w, it.cc);
  w.key("date").value(it.date).key("direction").value(it.direction).key("from");
  write_party(w, it.from);
  w.key("has_body").value(it.has_body).key("id").value(it.id).key("investors").begin_array();
  for (const auto& i : it.investors) {
    w.begin_object().key("contact_id");
    if (i.contact_id) w.value(*i.contact_id);
    else w.null();
    w.key("contact_name").value(i.contact_name).key("graveyard").value(i.graveyard);
    w.key("investor_id").value(i.investor_id).key("match_kind").value(i.match_kind);
    w.key("matched_address").value(i.matched_address).key("name").value(i.name).end_object();
  }
  w.end_array().key("mailboxes").begin_array();
  for (const auto& m : it.mailboxes)
    w.begin_object().key("account_id").value(m.account_id).key("email").value(m.email).end_object();
  w.end_array().key("snippet").value(it.snippet).key("subject").value(it.subject).key("thread_id");
  if (it.thread_id) w.value(*it.thread_id);
  else w.null();
  w.key("to");
  write_parties(w, it.to);
  w.end_object();
}

// The filter from the query string, or the 400 to send.
gc::result<store::activity_filter> read_filter(const request_ctx& req) {
  store::activity_filter f;
  auto investor = query_id(req, "investor_id");
  if (!investor) return investor.error();
  f.investor_id = *investor;
  auto account = query_id(req, "account_id");
  if (!account) return account.error();
  f.account_id = *account;
  if (auto d = req.q("direction")) {
    if (*d != "inbound" && *d != "outbound")
      return gc::error{"direction", "expected 'inbound' or 'outbound'"};
    f.direction = *d;
  }
  if (auto q = req.q("q")) {
    if (q->size() > max_query_chars)
      return gc::error{"q", "at most " + std::to_string(max_query_chars) + " characters"};
    f.query = *q;
    if (f.query.find_first_not_of(" \t\r\n") == std::string::npos) f.query.clear();
  }
  auto since = query_time(req, "since");
  if (!since) return since.error();
  f.since_ms = *since;
  auto until = query_time(req, "until");
  if (!until) return until.error();
  f.until_ms = *until;
  if (f.since_ms && f.until_ms && *f.until_ms <= *f.since_ms)
    return gc::error{"until", "must be later than since"};
  return f;
}

void list_activity(api_context& ctx, const request_ctx& req, const reply_fn& reply) {
  auto filter = read_filter(req);
  if (!filter) return reply(bad_param(filter.error()));
  auto limit = query_limit(req);
  if (!limit) return reply(bad_param(limit.error()));
  auto cursor = query_cursor(req, activity_cursor);
  if (!cursor) return reply(bad_param(cursor.error()));
  auto page = store::activity_repo{store::api_read_connection(ctx.cfg.db_path)}.list(*filter, *limit, *cursor);
  if (!page) {
    if (page.error().code == "bad_query") return reply(bad_param({"q", page.error().message}));
    return reply(internal("activity", page.error()));
  }
  json_writer w;
  w.begin_object().key("items").begin_array();
  for (const auto& it : page->items) write_item(w, it);
  w.end_array().key("next_cursor");
  if (page->next) w.value(encode_cursor(activity_cursor, *page->next));
  else w.null();
  reply(json_text_response(200, w.end_object().take()));
}

void list_investors(api_context& ctx, const reply_fn& reply) {
  auto rows = store::activity_repo{store::api_read_connection(ctx.cfg.db_path)}.investors();
  if (!rows) return reply(internal("activity investors", rows.error()));
  json out = json::array();
  for (const auto& i : *rows) out.push_back({{"id", i.id}, {"name", i.name}, {"has_email", i.has_email}});
  reply(json_response(200, {{"investors", out}}));
}

} // namespace

void add_activity_routes(router& r, api_context& ctx) {
  r.get("/api/email/activity", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
          list_activity(ctx, req, reply);
        }));
  r.get("/api/email/activity/investors", access::admin, needs_gmail(ctx, [&ctx](request_ctx, reply_fn reply) {
          list_investors(ctx, reply);
        }));
}

} // namespace gc::http

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
#include "http/mail_json.hpp"
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

json item_json(const store::activity_item& it) {
  return {{"id", it.id},
          {"thread_id", it.thread_id ? json(*it.thread_id) : json(nullptr)},
          {"subject", it.subject},
          {"snippet", it.snippet},
          {"from", party_json(it.from)},
          {"to", parties_json(it.to)},
          {"cc", parties_json(it.cc)},
          {"date", it.date ? json(*it.date) : json(nullptr)},
          {"direction", it.direction},
          {"has_body", it.has_body},
          {"attachment_count", it.attachment_count},
          {"mailboxes", mailboxes_json(it.mailboxes)},
          {"investors", investors_json(it.investors)}};
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
  auto page = store::activity_repo{store::read_connection(ctx.cfg.db_path)}.list(*filter, *limit, *cursor);
  if (!page) {
    if (page.error().code == "bad_query") return reply(bad_param({"q", page.error().message}));
    return reply(internal("activity", page.error()));
  }
  json items = json::array();
  for (const auto& it : page->items) items.push_back(item_json(it));
  reply(json_response(200, {{"items", items},
                            {"next_cursor", page->next ? json(encode_cursor(activity_cursor, *page->next))
                                                       : json(nullptr)}}));
}

void list_investors(api_context& ctx, const reply_fn& reply) {
  auto rows = store::activity_repo{store::read_connection(ctx.cfg.db_path)}.investors();
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

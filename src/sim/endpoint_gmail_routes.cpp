// The Gmail v1 methods: request parameters -> workspace call. Paths are served under both
// /gmail/v1 (gmail.googleapis.com) and the same path on any host (www.googleapis.com legacy).
#include "core/encoding.hpp"
#include "sim/batch_codec.hpp"
#include "sim/endpoint_errors.hpp"
#include "sim/endpoint_gmail.hpp"
#include "sim/faults.hpp"
#include "sim/workspace.hpp"

#include <charconv>

namespace gc::sim {
namespace {

using verb = http::bhttp::verb;
constexpr const char* base = "/gmail/v1/users/{userId}";
constexpr const char* upload_base = "/upload/gmail/v1/users/{userId}";

std::vector<std::string> all_of(const http::request_ctx& ctx, const std::string& name) {
  std::vector<std::string> out;
  auto [b, e] = ctx.query.equal_range(name);
  for (auto it = b; it != e; ++it) {
    // Accept both repeated keys and comma lists (some clients join repeated params).
    size_t start = 0;
    const auto& v = it->second;
    while (start <= v.size()) {
      auto comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      if (comma > start) out.push_back(v.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

gc::result<std::optional<int64_t>> int_param(const http::request_ctx& ctx, const char* name) {
  auto v = ctx.q(name);
  if (!v) return std::optional<int64_t>{};
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc{} || p != v->data() + v->size() || v->empty())
    return gc::error{"invalid_argument", "Invalid value '" + *v + "' for parameter " + name};
  return std::optional<int64_t>{x};
}

gc::result<bool> bool_param(const http::request_ctx& ctx, const char* name) {
  auto v = ctx.q(name);
  if (!v || *v == "false" || *v == "False" || *v == "0") return false;
  if (*v == "true" || *v == "True" || *v == "1" || v->empty()) return true;
  return gc::error{"invalid_argument", "Invalid value '" + *v + "' for parameter " + name};
}

gc::error metadata_refusal(const std::string& what) {
  return gc::error{"metadata_scope", what};
}

gc::result<get_params> read_get_params(const gmail_caller& c, const http::request_ctx& ctx) {
  auto fmt = parse_format(ctx.q("format").value_or(""));
  if (!fmt) return fmt.error();
  if (c.metadata_only && (*fmt == msg_format::full || *fmt == msg_format::raw))
    return metadata_refusal(std::string{"Metadata scope doesn't allow format "} +
                            (*fmt == msg_format::raw ? "RAW" : "FULL"));
  get_params p;
  p.format = *fmt;
  p.metadata_headers = all_of(ctx, "metadataHeaders");
  return p;
}

// The RFC 822 bytes and threadId of a drafts/send request: JSON {"raw","threadId"} (send) or
// {"message":{…}} (drafts), an /upload/ media body, or an /upload/ multipart/related body.
struct raw_message {
  std::string raw, thread_id;
};
gc::result<raw_message> read_message(const http::request_ctx& ctx, bool wrapped) {
  static const std::string missing =
      "'raw' RFC822 payload message string or uploading message via /upload/* URL required";
  auto ct = std::string{ctx.req[http::bhttp::field::content_type]};
  const auto& body = ctx.req.body();
  if (ctx.path.rfind("/upload/", 0) == 0) {
    if (auto boundary = multipart_boundary(ct)) {
      auto parts = split_multipart(body, *boundary);
      if (!parts || parts->size() < 2) return gc::error{"invalid_argument", missing};
      raw_message m;
      auto meta = json::parse((*parts)[0].body, nullptr, false);
      if (meta.is_object()) {
        const json& msg = wrapped && meta.contains("message") ? meta["message"] : meta;
        m.thread_id = msg.value("threadId", "");
      }
      m.raw = (*parts)[1].body;
      return m;
    }
    if (body.empty()) return gc::error{"invalid_argument", missing};
    return raw_message{body, ""};
  }
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object()) return gc::error{"invalid_argument", "Invalid JSON payload received."};
  const json& msg = wrapped ? (j.contains("message") && j["message"].is_object() ? j["message"] : json{}) : j;
  if (!msg.is_object() || !msg.contains("raw") || !msg["raw"].is_string())
    return gc::error{"invalid_argument", missing};
  auto raw = core::base64_decode(msg["raw"].get<std::string>());
  if (!raw) return gc::error{"invalid_argument", "Invalid value for ByteString: raw"};
  return raw_message{std::move(*raw), msg.value("threadId", "")};
}

} // namespace

void gmail_endpoint::install_reads(http::router& r) {
  const std::string b = base;
  add(r, verb::get, b + "/profile", {gmail_method::get_profile, scope_need::profile,
      [this](const gmail_caller& c, const http::request_ctx&) { return ws_.profile(c.mailbox); }});

  add(r, verb::get, b + "/messages", {gmail_method::messages_list, scope_need::read,
      [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
        list_params p;
        p.label_ids = all_of(ctx, "labelIds");
        p.q = ctx.q("q").value_or("");
        if (c.metadata_only && !p.q.empty()) return metadata_refusal("Metadata scope does not support 'q' parameter");
        auto spam = bool_param(ctx, "includeSpamTrash");
        if (!spam) return spam.error();
        p.include_spam_trash = *spam;
        p.page_token = ctx.q("pageToken").value_or("");
        auto max = int_param(ctx, "maxResults");
        if (!max) return max.error();
        p.max_results = *max;
        return ws_.list_messages(c.mailbox, p);
      }});

  add(r, verb::get, b + "/messages/{id}", {gmail_method::messages_get, scope_need::read,
      [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
        auto p = read_get_params(c, ctx);
        if (!p) return p.error();
        return ws_.get_message(c.mailbox, ctx.params.at("id"), *p);
      }});

  add(r, verb::get, b + "/messages/{messageId}/attachments/{id}",
      {gmail_method::attachments_get, scope_need::content,
       [this](const gmail_caller& c, const http::request_ctx& ctx) {
         return ws_.get_attachment(c.mailbox, ctx.params.at("messageId"), ctx.params.at("id"));
       }});

  add(r, verb::get, b + "/threads/{id}", {gmail_method::threads_get, scope_need::read,
      [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
        auto p = read_get_params(c, ctx);
        if (!p) return p.error();
        return ws_.get_thread(c.mailbox, ctx.params.at("id"), *p);
      }});

  add(r, verb::get, b + "/history", {gmail_method::history_list, scope_need::read,
      [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
        if (faults_.history_404()) return gc::error{"not_found", "history expired (fault injection)"};
        history_params p;
        p.start_history_id = ctx.q("startHistoryId");
        p.history_types = all_of(ctx, "historyTypes");
        p.label_id = ctx.q("labelId").value_or("");
        p.page_token = ctx.q("pageToken").value_or("");
        auto max = int_param(ctx, "maxResults");
        if (!max) return max.error();
        p.max_results = *max;
        return ws_.list_history(c.mailbox, p);
      }});
}

void gmail_endpoint::install_writes(http::router& r) {
  for (std::string b : {std::string{base}, std::string{upload_base}}) {
    add(r, verb::post, b + "/drafts", {gmail_method::drafts_create, scope_need::compose,
        [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
          auto m = read_message(ctx, true);
          if (!m) return m.error();
          return ws_.create_draft(c.mailbox, m->raw, m->thread_id);
        }});
    add(r, verb::put, b + "/drafts/{id}", {gmail_method::drafts_create, scope_need::compose,
        [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
          auto m = read_message(ctx, true);
          if (!m) return m.error();
          return ws_.update_draft(c.mailbox, ctx.params.at("id"), m->raw, m->thread_id);
        }});
    add(r, verb::post, b + "/messages/send", {gmail_method::messages_send, scope_need::send,
        [this](const gmail_caller& c, const http::request_ctx& ctx) -> gc::result<json> {
          auto m = read_message(ctx, false);
          if (!m) return m.error();
          return ws_.send_message(c.mailbox, m->raw, m->thread_id);
        }});
  }
}

} // namespace gc::sim

// Mailbox enrolment and pause/resume (seed 002 §3 and §5, issue 4 item 7), admin-only:
//   POST /api/email/accounts/enroll {"email"}   201 created | 200 already enrolled (unchanged)
//   POST /api/email/accounts/enroll-all         every active CRM user of the Workspace domain
//   POST /api/email/accounts/{id}/pause         sync_enabled = 0 and its syncer stopped
//   POST /api/email/accounts/{id}/resume        sync_enabled = 1 and its syncer started
// Writes go through the store writer; the syncer is started/stopped after the write commits.
// These handlers block their HTTP worker thread for the write and the supervisor round trip
// (milliseconds; bounded by the writer's and the supervisor's timeouts): rare admin actions,
// never on an I/O thread. A paused mailbox stays paused when it is enrolled again. A cycle
// already running when a pause lands finishes; no further cycle starts (the syncer checks
// sync_enabled before each cycle, so a queued run-now cannot slip through).
#include "actors/runtime.hpp"
#include "actors/sync_service.hpp"
#include "core/email_address.hpp"
#include "core/log.hpp"
#include "http/route_util.hpp"
#include "store/email_accounts_repo.hpp"
#include "store/read_connection.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace gc::http {
namespace {

struct enrolled {
  int64_t id = 0;
  std::string email;
  bool created = false;
};

// Enrols `emails` in one store-writer job; reports which rows it created.
gc::result<std::vector<enrolled>> enroll_mailboxes(api_context& ctx, std::vector<std::string> emails) {
  auto out = std::make_shared<std::vector<enrolled>>();
  std::string method = core::to_string(ctx.cfg.gmail_auth);
  auto done = ctx.rt.write_sync([emails = std::move(emails), method, out](store::connection& c) -> int64_t {
    store::email_accounts_repo repo{c};
    out->clear();  // a retried job starts over
    for (const auto& e : emails) {
      auto existing = repo.find_account(e);
      if (!existing) throw std::runtime_error(existing.error().message);
      auto id = repo.enroll_account(e, method);
      if (!id) throw std::runtime_error(id.error().message);
      out->push_back({*id, e, !*existing});
    }
    return static_cast<int64_t>(out->size());
  });
  if (!done) return done.error();
  return *out;
}

std::optional<store::account_status> read_account(api_context& ctx, int64_t id, const reply_fn& reply) {
  auto a = store::status_repo{store::api_read_connection(ctx.cfg.db_path)}.account(id);
  if (!a) {
    gc::log::error("accounts: read failed: {}", a.error().message);
    reply(error_response(500, "internal", "could not read the account"));
    return std::nullopt;
  }
  if (!*a) reply(error_response(404, "not_found", "no email account " + std::to_string(id)));
  return *a;
}

// Starts the syncer of each enabled account among `rows` (idempotent).
void start_syncers(api_context& ctx, const std::vector<enrolled>& rows) {
  auto accounts = store::status_repo{store::api_read_connection(ctx.cfg.db_path)}.accounts();
  if (!accounts) return gc::log::error("accounts: read failed: {}", accounts.error().message);
  for (const auto& r : rows)
    for (const auto& a : *accounts)
      if (a.id == r.id && a.sync_enabled) ctx.sync->refresh_account(a.id, true);
}

// The "email" field: a mailbox address, inside the Workspace domain under DWD.
std::optional<std::string> mailbox_field(const api_context& ctx, const json& body, const reply_fn& reply) {
  auto it = body.find("email");
  auto addr = it != body.end() && it->is_string() ? core::normalize_address(it->get<std::string>()) : std::nullopt;
  if (!addr) {
    reply(error_response(400, "bad_request", "'email' must be a mailbox address (name@domain)"));
    return std::nullopt;
  }
  if (ctx.cfg.gmail_auth == core::auth_method::dwd && !ctx.cfg.workspace_domain.empty()) {
    auto domain = core::normalize_domain(ctx.cfg.workspace_domain);
    if (!domain || core::domain_of(*addr) != *domain) {
      reply(error_response(400, "outside_domain",
                           "'email' must be an address in " + ctx.cfg.workspace_domain +
                               ": domain-wide delegation reaches only the Workspace domain"));
      return std::nullopt;
    }
  }
  return addr;
}

void set_enabled(api_context& ctx, request_ctx req, reply_fn reply, bool enabled) {
  if (!require_sync(ctx, reply)) return;
  auto id = id_param(req, reply);
  if (!id) return;
  auto done = ctx.rt.write_sync([id = *id, enabled](store::connection& c) -> int64_t {
    auto r = store::email_accounts_repo{c}.set_sync_enabled(id, enabled);
    if (!r) throw std::runtime_error(r.error().message);
    return *r ? 1 : 0;
  });
  if (!done) {
    gc::log::error("accounts: {} {} failed: {}", enabled ? "resume" : "pause", *id, done.error().message);
    return reply(error_response(500, "internal", "could not update the account"));
  }
  if (*done == 0) return reply(error_response(404, "not_found", "no email account " + std::to_string(*id)));
  ctx.sync->refresh_account(*id, enabled);
  gc::log::info("accounts: account {} {} by {}", *id, enabled ? "resumed" : "paused", req.user->username);
  if (auto a = read_account(ctx, *id, reply); a) reply(json_response(200, {{"account", account_json(*a)}}));
}

json rows_json(const std::vector<enrolled>& rows, bool created) {
  json out = json::array();
  for (const auto& r : rows)
    if (r.created == created) out.push_back({{"id", r.id}, {"email", r.email}});
  return out;
}

} // namespace

void add_accounts_routes(router& r, api_context& ctx) {
  r.post("/api/email/accounts/enroll", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           if (!require_sync(ctx, reply)) return;
           auto body = parse_json_body(req, reply);
           if (!body) return;
           auto email = mailbox_field(ctx, *body, reply);
           if (!email) return;
           auto rows = enroll_mailboxes(ctx, {*email});
           if (!rows || rows->size() != 1) {
             gc::log::error("accounts: enroll failed: {}", rows ? "no row" : rows.error().message);
             return reply(error_response(500, "internal", "could not enroll the mailbox"));
           }
           const auto row = rows->front();
           start_syncers(ctx, *rows);
           if (row.created) gc::log::info("accounts: account {} enrolled by {}", row.id, req.user->username);
           auto a = read_account(ctx, row.id, reply);
           if (!a) return;
           reply(json_response(row.created ? 201 : 200, {{"created", row.created}, {"account", account_json(*a)}}));
         }));

  r.post("/api/email/accounts/enroll-all", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           if (!require_sync(ctx, reply)) return;
           if (ctx.cfg.workspace_domain.empty())
             return reply(error_response(409, "no_workspace_domain",
                                         "CRM_GMAIL_WORKSPACE_DOMAIN is not set: there is no domain to enroll"));
           auto users = store::email_accounts_repo{store::api_read_connection(ctx.cfg.db_path)}.active_domain_users(
               ctx.cfg.workspace_domain);
           if (!users) {
             gc::log::error("accounts: enroll-all read failed: {}", users.error().message);
             return reply(error_response(500, "internal", "could not read the CRM users"));
           }
           std::vector<std::string> emails;
           for (const auto& u : *users)
             if (auto addr = core::normalize_address(u.email))
               if (std::find(emails.begin(), emails.end(), *addr) == emails.end()) emails.push_back(*addr);
           auto rows = enroll_mailboxes(ctx, emails);
           if (!rows) {
             gc::log::error("accounts: enroll-all failed: {}", rows.error().message);
             return reply(error_response(500, "internal", "could not enroll the mailboxes"));
           }
           start_syncers(ctx, *rows);
           auto created = rows_json(*rows, true);
           gc::log::info("accounts: enroll-all by {}: {} enrolled, {} already", req.user->username, created.size(),
                         rows->size() - created.size());
           reply(json_response(200, {{"domain", ctx.cfg.workspace_domain},
                                     {"enrolled", created},
                                     {"already", rows_json(*rows, false)}}));
         }));

  r.post("/api/email/accounts/{id}/pause", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           set_enabled(ctx, std::move(req), std::move(reply), false);
         }));
  r.post("/api/email/accounts/{id}/resume", access::admin, needs_gmail(ctx, [&ctx](request_ctx req, reply_fn reply) {
           set_enabled(ctx, std::move(req), std::move(reply), true);
         }));
}

} // namespace gc::http

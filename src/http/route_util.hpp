#pragma once
// Helpers shared by the /api/email route files: the integration switch (503 while
// CRM_GMAIL_INTEGRATION_ENABLED is off), the sync-service check, the {id} path parameter and
// small JSON builders.
#include "http/api.hpp"
#include "store/status_repo.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace gc::http {

// Wraps the handler of an /api/email route that needs the Gmail integration: 503
// "gmail_disabled" while the integration is off.
handler needs_gmail(api_context& ctx, handler h);

// True when the sync service runs; otherwise replies 503 and returns false.
bool require_sync(api_context& ctx, const reply_fn& reply);

// The {id} path parameter as a positive integer; otherwise replies 400 and returns nullopt.
std::optional<int64_t> id_param(const request_ctx& req, const reply_fn& reply);

template <class T>
json opt_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// One mailbox as GET /api/email/status and /api/email/accounts show it.
json account_json(const store::account_status& a);

} // namespace gc::http

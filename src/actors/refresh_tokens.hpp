#pragma once
// Sealed OAuth refresh tokens on email_accounts.refresh_token_enc: reads on the calling
// thread's read-only connection, writes through the store writer. For gmail::make_services in
// OAuth mode; `rt` must outlive the storage's users.
#include "actors/runtime.hpp"
#include "gmail/oauth_auth.hpp"

namespace gc::actors {

gmail::refresh_token_storage make_refresh_token_storage(const std::string& db_path, runtime& rt);

} // namespace gc::actors

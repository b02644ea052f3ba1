#pragma once
// Gmail per-method quota units, gmail-api.md §3.1: Google's legacy table and the May-2026 one.
#include "core/config.hpp"

#include <optional>
#include <string_view>

namespace gc::core {

enum class gmail_method {
  get_profile,
  history_list,
  messages_list,
  messages_get,
  attachments_get,
  threads_list,
  threads_get,
  drafts_create,
  messages_send,
  watch,
  stop,
};

constexpr int quota_cost(core::quota_table table, gmail_method m) {
  const bool y26 = table == core::quota_table::y2026;
  switch (m) {
    case gmail_method::get_profile: return 1;
    case gmail_method::history_list: return 2;
    case gmail_method::messages_list: return 5;
    case gmail_method::messages_get: return y26 ? 20 : 5;
    case gmail_method::attachments_get: return y26 ? 20 : 5;
    case gmail_method::threads_list: return 10;
    case gmail_method::threads_get: return y26 ? 40 : 10;
    case gmail_method::drafts_create: return 10;
    case gmail_method::messages_send: return 100;
    case gmail_method::watch: return 100;
    case gmail_method::stop: return 50;
  }
  return 1;
}

constexpr std::string_view method_name(gmail_method m) {
  switch (m) {
    case gmail_method::get_profile: return "users.getProfile";
    case gmail_method::history_list: return "users.history.list";
    case gmail_method::messages_list: return "users.messages.list";
    case gmail_method::messages_get: return "users.messages.get";
    case gmail_method::attachments_get: return "users.messages.attachments.get";
    case gmail_method::threads_list: return "users.threads.list";
    case gmail_method::threads_get: return "users.threads.get";
    case gmail_method::drafts_create: return "users.drafts.create";
    case gmail_method::messages_send: return "users.messages.send";
    case gmail_method::watch: return "users.watch";
    case gmail_method::stop: return "users.stop";
  }
  return "unknown";
}

// "legacy" | "2026"
inline std::optional<core::quota_table> parse_quota_table(std::string_view s) {
  if (s == "legacy") return core::quota_table::legacy;
  if (s == "2026") return core::quota_table::y2026;
  return std::nullopt;
}

} // namespace gc::core

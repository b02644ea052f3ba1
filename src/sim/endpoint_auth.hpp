#pragma once
// Who is calling a Gmail route, and may they (gmail-api.md §1.1 "Gmail-side DWD failures",
// §1.3 scopes): bearer token -> grant; no subject -> 400 failedPrecondition; userId neither
// "me" nor the subject -> 403 "Delegation denied for <sub>"; scope not enough -> 403
// insufficientPermissions; unknown/expired token -> 401 authError.
#include "http/types.hpp"

#include <string>
#include <variant>
#include <vector>

namespace gc::sim {

class token_store;
class workspace;

// What a method needs, by Gmail's discovery scope lists.
enum class scope_need {
  profile,   // readonly, modify, mail.google.com, metadata, compose
  read,      // readonly, modify, mail.google.com, or metadata (then metadata_only is set)
  content,   // readonly, modify, mail.google.com (attachments: metadata is not enough)
  compose,   // compose, modify, mail.google.com
  send,      // send, compose, modify, mail.google.com
};

struct gmail_caller {
  std::string mailbox;              // the token's subject, canonical workspace address
  std::vector<std::string> scopes;
  bool metadata_only = false;       // only gmail.metadata among the read scopes
};

std::variant<gmail_caller, http::response_t> authorize_gmail(const http::request_ctx& ctx,
                                                             const token_store& tokens,
                                                             const workspace& ws, scope_need need);

// The bearer token of a request, or "".
std::string bearer_of(const http::request_t& req);

} // namespace gc::sim

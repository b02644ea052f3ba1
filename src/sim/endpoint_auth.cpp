#include "sim/endpoint_auth.hpp"

#include "sim/endpoint_errors.hpp"
#include "sim/token_accounts.hpp"
#include "sim/token_store.hpp"
#include "sim/workspace.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace gc::sim {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool has_any(const std::vector<std::string>& have, std::initializer_list<const char*> want) {
  for (const char* w : want)
    if (std::find(have.begin(), have.end(), full_scope(w)) != have.end()) return true;
  return false;
}

constexpr const char* full_mail = "https://mail.google.com/";

} // namespace

std::string bearer_of(const http::request_t& req) {
  auto v = std::string{req[http::bhttp::field::authorization]};
  if (v.size() < 7 || !iequal(std::string_view{v}.substr(0, 7), "Bearer ")) return {};
  auto tok = v.substr(7);
  while (!tok.empty() && tok.front() == ' ') tok.erase(0, 1);
  while (!tok.empty() && tok.back() == ' ') tok.pop_back();
  return tok;
}

std::variant<gmail_caller, http::response_t> authorize_gmail(const http::request_ctx& ctx,
                                                             const token_store& tokens,
                                                             const workspace& ws, scope_need need) {
  auto token = bearer_of(ctx.req);
  if (token.empty()) return login_required();
  auto grant = tokens.find_access(token);
  if (!grant) return auth_error();

  const auto& sc = grant->scopes;
  bool metadata_only = false;
  bool ok = false;
  switch (need) {
    case scope_need::profile:
      ok = has_any(sc, {full_mail, "gmail.modify", "gmail.readonly", "gmail.metadata", "gmail.compose"});
      break;
    case scope_need::read:
      ok = has_any(sc, {full_mail, "gmail.modify", "gmail.readonly"});
      if (!ok && has_any(sc, {"gmail.metadata"})) ok = metadata_only = true;
      break;
    case scope_need::content:
      ok = has_any(sc, {full_mail, "gmail.modify", "gmail.readonly"});
      break;
    case scope_need::compose:
      ok = has_any(sc, {full_mail, "gmail.modify", "gmail.compose"});
      break;
    case scope_need::send:
      ok = has_any(sc, {full_mail, "gmail.modify", "gmail.compose", "gmail.send"});
      break;
  }
  if (!ok) return insufficient_permissions();

  if (grant->subject.empty()) return failed_precondition();
  auto it = ctx.params.find("userId");
  std::string user = it == ctx.params.end() ? "me" : it->second;
  if (user != "me" && !iequal(user, grant->subject)) return delegation_denied(grant->subject);
  if (!ws.has_mailbox(grant->subject))
    return google_error(400, "Mail service not enabled", "global", "failedPrecondition",
                        "FAILED_PRECONDITION");
  return gmail_caller{grant->subject, grant->scopes, metadata_only};
}

} // namespace gc::sim

// describe(): an api_error in words an admin can act on (status page, sync run errors).
#include "core/clock.hpp"
#include "core/log.hpp"
#include "gmail/errors.hpp"

namespace gc::gmail {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string for_context(const api_error& e) {
  return e.context.empty() ? std::string{} : " for " + e.context;
}

std::string paren_context(const api_error& e) {
  return e.context.empty() ? std::string{} : " (" + e.context + ")";
}

std::string tag(const api_error& e) {
  if (e.reason.empty()) return "HTTP " + std::to_string(e.status);
  if (e.status == 0) return e.reason;
  return e.reason + ", HTTP " + std::to_string(e.status);
}

std::string token_words(const api_error& e) {
  const auto& m = e.message;
  const auto& r = e.reason;
  if (r == "unauthorized_client" && m == "Unauthorized")
    return "Google refused the OAuth client for this mailbox's refresh token" + for_context(e) +
           ": the token was issued to a different client ID; connect the mailbox again";
  if (r == "unauthorized_client")
    return "Google refused the service account: the domain-wide delegation" + for_context(e) +
           " is missing, incomplete or not active yet. In the Google Admin console (Security > "
           "API controls > Domain-wide delegation) add the service account's client ID with every "
           "requested scope; the mailbox must be a user of the Workspace domain, and a new grant "
           "can take up to 24 hours to work";
  if (r == "invalid_grant") {
    if (contains(m, "Invalid email or User ID"))
      return "Google does not know the user" + paren_context(e) +
             ": the user does not exist, was deleted or is suspended in the Workspace domain";
    if (contains(m, "Not a valid email"))
      return "Google says an address in the token request is not a valid email address" + paren_context(e);
    if (contains(m, "short-lived") || contains(m, "reasonable timeframe"))
      return "Google rejected the service-account token request because of its time stamps: this "
             "machine's clock is probably wrong (check NTP)";
    if (contains(m, "Signature"))
      return "Google could not verify the service-account key's signature" + for_context(e) +
             ": the key file is damaged, or the key was deleted or replaced in the Google Cloud "
             "console; download a new key";
    if (contains(m, "account not found"))
      return "Google does not know the service account in the key file: it was deleted, or the "
             "key file belongs to another project";
    if (contains(m, "expired or revoked"))
      return "the Google consent" + for_context(e) +
             " has expired or was revoked: re-consent needed, an admin must connect the mailbox again";
    return "Google refused the credentials" + for_context(e) + " (" + m + ")";
  }
  if (r == "invalid_client")
    return "Google does not know the OAuth client: check CRM_GMAIL_OAUTH_CLIENT_ID and "
           "CRM_GMAIL_OAUTH_CLIENT_SECRET";
  if (r == "invalid_scope")
    return "Google refused the requested scopes" + for_context(e);
  if (r == "access_denied")
    return "the user declined the consent" + for_context(e);
  if (r == "internal_failure")
    return "Google's token service had an internal failure; it is retried";
  if (r == "no_consent")
    return "no Google consent is stored" + for_context(e) + ": an admin must connect the mailbox (consent)";
  if (r == "undecryptable_refresh_token")
    return "the stored Google consent" + for_context(e) + " cannot be decrypted "
           "(CRM_GMAIL_SECRET_KEY changed?): re-consent needed, an admin must connect the mailbox again";
  if (r == "bad_state")
    return "the consent link is unknown, already used or older than 10 minutes: start connecting "
           "the mailbox again";
  if (r == "no_code") return "Google's answer to the consent carried no authorization code: start again";
  if (r == "scope_not_granted")
    return "the consent did not grant read access to Gmail: connect again and allow reading mail";
  if (r == "no_refresh_token")
    return "Google returned no refresh token: connect the mailbox again (offline access must be granted)";
  if (r == "store") return "the database could not be read or written" + for_context(e) + "; it is retried";
  if (r == "bad_key")
    return "the service-account key cannot be used" + for_context(e) + ": download a new key file";
  if (r == "redirect_uri_mismatch")
    return "Google refused the OAuth redirect URI: CRM_GMAIL_OAUTH_REDIRECT_URI must be listed "
           "for the OAuth client in the Google Cloud console";
  return {};
}

std::string gmail_words(const api_error& e) {
  const auto& m = e.message;
  const auto& r = e.reason;
  if (e.kind == error_kind::history_expired)
    return "Gmail no longer has the change history from the stored position; a full resync of the "
           "mailbox is needed";
  if (e.kind == error_kind::not_found) return "Gmail has no such item (it was probably deleted)";
  if (e.daily_limit)
    return "the Google Cloud project used up its daily Gmail quota; syncing resumes when the "
           "quota resets";
  if (e.rate_limited) {
    std::string s = "Gmail rate limit reached (" + m + "); syncing slows down and retries";
    if (e.retry_after) s += " after " + core::iso8601_utc(*e.retry_after);
    return s;
  }
  if (e.status == 401)
    return "Google did not accept the access token (" + m + "); a new token is fetched "
           "automatically, and if this persists the credentials are broken";
  if (r == "domainPolicy")
    return "the Workspace administrators have disabled Gmail API access for apps";
  if (r == "insufficientPermissions" || contains(m, "insufficient authentication scopes"))
    return "the access token lacks a needed scope" + for_context(e) +
           ": add it to the domain-wide delegation, or connect the mailbox again";
  if (r == "accessNotConfigured")
    return "the Gmail API is not enabled in the Google Cloud project: enable it in the Cloud console";
  if (contains(m, "Delegation denied"))
    return "Google denied access to another user's mailbox (" + m + ")";
  if (contains(m, "Mail service not enabled"))
    return "Gmail is not enabled" + for_context(e) + " (no licence, or Gmail is turned off for this user)";
  if (r == "failedPrecondition" || r == "FAILED_PRECONDITION")
    return "Gmail answered \"" + m + "\"; this is usually temporary and is retried (a service-account "
           "token without a mailbox subject also causes it)";
  if (contains(m, "Inner request count exceeds"))
    return "Gmail refused a batch as too large (" + m + "); use smaller batches";
  if (e.status >= 500)
    return "Google had a server error (" + m + "); it is retried";
  return {};
}

} // namespace

std::string describe(const api_error& e) {
  std::string words = token_words(e);
  if (words.empty() && e.reason == "bad_response") {
    words = "Google's answer could not be understood (" + e.message + ")";
  } else if (words.empty() && e.status == 0) {
    words = "could not reach Google (" + e.message + ")";
    if (e.kind == error_kind::retryable) words += "; it is retried";
  }
  if (words.empty()) words = gmail_words(e);
  if (words.empty())
    words = "Google answered HTTP " + std::to_string(e.status) + (e.message.empty() ? "" : ": " + e.message);
  if (!words.empty() && words[0] >= 'a' && words[0] <= 'z') words[0] = static_cast<char>(words[0] - 'a' + 'A');
  return gc::log::redact(words + " (" + tag(e) + ").");
}

} // namespace gc::gmail

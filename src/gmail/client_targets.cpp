// Path + query of each Gmail call (gmail-api.md §2): repeated parameters as repeated keys,
// every value percent-encoded.
#include "core/encoding.hpp"
#include "gmail/client.hpp"

namespace gc::gmail {
namespace {

class query {
public:
  query& add(const std::string& k, const std::string& v) {
    s_ += s_.empty() ? '?' : '&';
    s_ += core::url_encode(k) + "=" + core::url_encode(v);
    return *this;
  }
  query& add_if(const std::string& k, const std::string& v) { return v.empty() ? *this : add(k, v); }
  query& add_all(const std::string& k, const std::vector<std::string>& vs) {
    for (const auto& v : vs) add(k, v);
    return *this;
  }
  const std::string& str() const { return s_; }

private:
  std::string s_;
};

std::string user(const std::string& mailbox) { return "/gmail/v1/users/" + core::url_encode(mailbox); }

void add_format(query& q, const get_message_params& p) {
  q.add("format", to_string(p.format));
  if (p.format == message_format::metadata) q.add_all("metadataHeaders", p.metadata_headers);
}

} // namespace

const char* to_string(message_format f) {
  switch (f) {
    case message_format::minimal: return "minimal";
    case message_format::metadata: return "metadata";
    case message_format::full: return "full";
    case message_format::raw: return "raw";
  }
  return "full";
}

std::string client::profile_target(const std::string& mailbox) { return user(mailbox) + "/profile"; }

std::string client::messages_list_target(const std::string& mailbox, const list_messages_params& p) {
  query q;
  q.add_if("q", p.q).add_all("labelIds", p.label_ids);
  if (p.include_spam_trash) q.add("includeSpamTrash", "true");
  q.add_if("pageToken", p.page_token);
  if (p.max_results) q.add("maxResults", std::to_string(*p.max_results));
  return user(mailbox) + "/messages" + q.str();
}

std::string client::message_target(const std::string& mailbox, const std::string& id, const get_message_params& p) {
  query q;
  add_format(q, p);
  return user(mailbox) + "/messages/" + core::url_encode(id) + q.str();
}

std::string client::thread_target(const std::string& mailbox, const std::string& id, const get_message_params& p) {
  query q;
  add_format(q, p);
  return user(mailbox) + "/threads/" + core::url_encode(id) + q.str();
}

std::string client::attachment_target(const std::string& mailbox, const std::string& message_id,
                                      const std::string& attachment_id) {
  return user(mailbox) + "/messages/" + core::url_encode(message_id) + "/attachments/" +
         core::url_encode(attachment_id);
}

std::string client::history_target(const std::string& mailbox, const list_history_params& p) {
  query q;
  q.add("startHistoryId", std::to_string(p.start_history_id)).add_all("historyTypes", p.history_types);
  q.add_if("labelId", p.label_id).add_if("pageToken", p.page_token);
  if (p.max_results) q.add("maxResults", std::to_string(*p.max_results));
  return user(mailbox) + "/history" + q.str();
}

} // namespace gc::gmail

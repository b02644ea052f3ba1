#pragma once
// JSON shapes shared by the read routes (routes_threads.cpp, routes_activity.cpp).
#include "core/json.hpp"
#include "store/email_read_rows.hpp"

#include <vector>

namespace gc::http {

json party_json(const store::party& p);                                  // {"name","email"}
json parties_json(const std::vector<store::party>& ps);                  // [party]
// [{"account_id","email"}]
json mailboxes_json(const std::vector<store::mailbox_ref>& ms);
// [{"investor_id","name","graveyard","match_kind","matched_address","contact_id","contact_name"}]
json investors_json(const std::vector<store::investor_ref>& is);
// [{"id","filename","content_type","size","content_id","status","downloaded","url"}]
json attachments_json(const std::vector<store::attachment_ref>& as);

} // namespace gc::http

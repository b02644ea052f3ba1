#pragma once
// Per-mailbox sightings (email_account_messages), internal to src/store. Throws db_error; runs
// inside the caller's savepoint.
#include "store/db.hpp"
#include "store/email_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store::detail {

// The soft delete a label set implies: "trash" (TRASH), "spam" (SPAM), nullopt (live).
std::optional<std::string> deleted_reason_for(const std::vector<std::string>& labels);

// Inserts or updates the sighting (account_id, gmail_message_id) of email_id. Writes only when
// a value changes. Returns true when the row is new. `now`: the caller's time as ISO-8601 UTC
// (core::iso8601_now), the new row's created_at, updated_at and any deleted_at.
bool upsert_sighting(connection& c, int64_t email_id, const sighting_rec& s, const std::string& now);

} // namespace gc::store::detail

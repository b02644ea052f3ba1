#pragma once
// A parsed Gmail message -> the store's records: dedup key, addresses, investor links, and the
// body only when the email matched an investor or contact (unmatched mail is stored
// metadata-only until a rematch matches it).
#include "core/matching.hpp"
#include "mime/message.hpp"
#include "mime/parse.hpp"
#include "store/email_records.hpp"

namespace gc::actors {

struct converted {
  store::email_rec email;
  store::sighting_rec sighting;
};

// True for messages the capture never stores (drafts and chats).
bool not_captured(const std::vector<std::string>& label_ids);

converted convert_message(const mime::message& m, int64_t account_id, const core::match_index& index);

// Whether convert_message would link mail with these participants to an investor.
bool is_matched(const mime::participants& p, const core::match_index& index);

} // namespace gc::actors

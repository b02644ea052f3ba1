#pragma once
// Ground truth of a workspace, for tests and benchmarks to check a capture against.
// workspace::write_truth writes JSON lines:
//   line 1: {"type":"workspace","domain":…,"mailboxes":[addr…]}
//   then one line per message copy, per mailbox in mailbox order, oldest first:
//   {"type":"message","mailbox":addr,"id":hex,"threadId":hex,"messageId":"<…>"|null,
//    "labels":[…],"internalDate":ms,"capture":bool,"softDeleted":bool,
//    "from":addr,"to":[addr…],"cc":[addr…],"subject":utf8,
//    "attachments":[{"partId","filename","mimeType","size","sha256"}],"mailKey":"g12"|"r3"}
// capture = a capture should store it (not DRAFT, not CHAT); softDeleted = SPAM or TRASH.
// mailKey names the underlying RFC 822 message: equal keys = the same email in several
// mailboxes (also for mail without a Message-ID).
#include "core/json.hpp"
#include "sim/message_render.hpp"

#include <istream>
#include <string>
#include <vector>

namespace gc::sim {

std::vector<json> read_truth(std::istream& in);

// Attachment-like parts (what Gmail would give an attachmentId), depth first.
struct attachment_info {
  std::string part_id, filename, mime_type, sha256;
  size_t size = 0;
};
std::vector<attachment_info> attachments_of(const mail_part& root);

std::string sha256_hex(std::string_view bytes);

} // namespace gc::sim

#pragma once
// Attachment rows, start to finish, on the calling (blocking) thread: internal to the
// attachment_fetcher (see attachment_fetcher.hpp for the rules).
#include "actors/attachment_store.hpp"
#include "actors/gmail_gate.hpp"
#include "actors/runtime.hpp"
#include "gmail/client.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace gc::actors {

enum class job_outcome {
  stored,      // file written, row stored
  deduped,     // row stored; the file was already there
  too_large,   // over the cap (before or after the download)
  failed,      // recorded as failed (attempts + 1)
  deferred,    // recorded as failed without counting an attempt (auth, quota)
  skipped,     // nothing recorded: no longer due, stopping, or the store was unreachable
};
const char* to_string(job_outcome o);

struct job_deps {
  gmail::client& gmail;
  gmail_gate& gate;
  std::function<gc::result<int64_t>(runtime::write_fn)> write;  // durable, blocking
  std::string db_path;
  const attachment_store& files;
  int64_t max_bytes = 0;
};

struct job_result {
  job_outcome outcome = job_outcome::skipped;
  bool refreshed = false;      // the attachment id was re-read from the message
  std::string detail;          // the recorded error, if any
};

// Attachment rows (one worker's share of a pass), each start to finish: one read of the rows
// (a row no longer due is skipped); the small stubs with a known id asked for in batches of
// attachments.get per mailbox (what a batch part could not answer is asked again alone); the
// rows whose file is stored recorded in one store-writer job. One result per id.
std::vector<std::pair<int64_t, job_result>> run_attachment_jobs(const job_deps& deps, const std::vector<int64_t>& ids);

} // namespace gc::actors

#pragma once
// One attachment row, start to finish, on the calling (blocking) thread: internal to the
// attachment_fetcher (see attachment_fetcher.hpp for the rules).
#include "actors/attachment_store.hpp"
#include "actors/gmail_gate.hpp"
#include "actors/runtime.hpp"
#include "gmail/client.hpp"

#include <cstdint>
#include <functional>
#include <string>

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

job_result run_attachment_job(const job_deps& deps, int64_t attachment_id);

} // namespace gc::actors

#pragma once
// attachment_fetcher (design.md "Actors"): downloads the files of attachment stubs of matched
// emails into the content-addressed store (actors/attachment_store.hpp), at most
// CRM_GMAIL_ATTACH_CONCURRENCY at a time, refusing anything over CRM_GMAIL_MAX_ATTACHMENT_MB.
//
// Shape: a coordinator (detached: it reads SQLite) owns `concurrency` linked, detached
// blocking workers (downloads block on HTTP). A pass queries the due rows (store/
// attachments_repo.hpp), hands up to 10 row ids to each idle worker, refills as workers
// finish, and ends when nothing due is left; rows tried once in a pass are not tried again in
// it. A worker reads its rows at once, asks for the small ones with a known attachment id in
// one batch request per mailbox (up to 10 calls), and records their stored files in one
// store-writer job; anything else goes the single-row way below.
// Passes start on (fetch_now_atom) and on a timer (`interval`); a fetch_now during a pass
// runs one more pass after it.
//
// Per row (worker): the stub's size over the cap -> too_large without downloading;
// attachments.get through the gmail_gate (permit + retries); a 404 or an invalid-id answer
// -> re-read the message (format=full), take the part's current attachmentId (stored), retry
// once; a stub without an id (inline part) or whose source copy was deleted is read the same
// way. The downloaded size is checked again; the bytes are hashed and stored once (a file
// with that hash is reused). Failures are recorded with the reason and retried later with
// backoff (attachments_repo); credential/quota failures do not use up attempts.
//
// Messages (untyped actor):
//   (fetch_now_atom)      run a pass. As a request, the reply (ok_atom) comes when a pass
//                         that started after the request has finished. Use anon_send or
//                         request: a plain send from an actor gets an ok_atom back.
//   (synced_atom, int64 account_id, bool ok)   as fetch_now (fits syncer_env::on_synced).
//   (att_tick_atom)       internal timer; (att_done_atom, vector<int64>) internal, from workers.
#include "actors/gmail_gate.hpp"
#include "actors/mailbox_syncer.hpp"
#include "actors/runtime.hpp"
#include "core/config.hpp"
#include "gmail/client.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace gc::actors {

// What the fetcher did. `stored` counts every row marked stored; `deduped` those of them
// whose file was already on disk (nothing written); `refreshed` stale/missing attachment
// ids replaced by a re-read of the message; `failed` includes deferred failures.
struct attachment_counts {
  int64_t stored = 0, deduped = 0, too_large = 0, failed = 0, refreshed = 0;
};

// Counters shared between the workers and whoever shows stats (thread-safe, lock-free).
class attachment_stats {
public:
  std::atomic<int64_t> stored{0}, deduped{0}, too_large{0}, failed{0}, refreshed{0};
  attachment_counts snapshot() const {
    return {stored.load(), deduped.load(), too_large.load(), failed.load(), refreshed.load()};
  }
};

struct attachment_options {
  std::string data_dir = "./data";                        // CRM_DATA_DIR
  int64_t max_bytes = int64_t{50} << 20;                  // CRM_GMAIL_MAX_ATTACHMENT_MB
  int concurrency = 4;                                    // CRM_GMAIL_ATTACH_CONCURRENCY
  std::chrono::milliseconds interval{std::chrono::seconds(60)};  // timer between passes
  int batch = 100;                                        // rows read per query
};

struct attachment_env {
  gmail::client* gmail = nullptr;
  rate_limiter_actor limiter;
  runtime* rt = nullptr;                                  // writes: rt->write_sync
  std::string db_path;                                    // reads: store::read_connection
  gate_options gate;
  std::shared_ptr<std::atomic<bool>> stopping = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<attachment_stats> stats = std::make_shared<attachment_stats>();
  attachment_options opts;
};

// The options the service runs with (data dir, size cap, concurrency).
attachment_options attachment_options_from(const core::config& cfg);
// Gmail client, limiter, runtime, db path, gate options and stop flag of a sync environment.
attachment_env make_attachment_env(const syncer_env& env, const core::config& cfg);

// The conventional supervisor child name.
inline constexpr const char* attachment_fetcher_name = "attachment_fetcher";

// Spawns the coordinator (detached) from `parent` (the supervisor's child_factory), untyped.
// It runs a first pass at start.
caf::actor spawn_attachment_fetcher(caf::local_actor* parent, attachment_env env);

// Blocking (CLI `sync --once`, tests; never on a CAF or I/O thread): runs passes until no
// row is due, with env.opts.concurrency workers, and returns what this call did.
attachment_counts fetch_pending_once(caf::actor_system& sys, attachment_env env);

} // namespace gc::actors

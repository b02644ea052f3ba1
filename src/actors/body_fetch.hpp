#pragma once
// Bodies for mail a rematch matched (issue 4 item 4; seed 002 §9 "re-match to backfill"):
// unmatched mail is stored metadata-only, so once a rematch links it to an investor its body
// (and attachment stubs) must be fetched. matcher_index lists them (rematch_result::
// needing_body); this fetches them through the normal path: messages.get format=full paced by
// the rate limiter, parsed and matched with the current index, stored with
// email_repo::store_messages (which fills the body of an existing metadata-only email).
#include "actors/matcher_index_types.hpp"
#include "actors/mailbox_syncer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gc::actors {

// Blocking (run on a detached thread): fetches `gmail_ids` of one mailbox and stores them.
// Returns how many emails got their body; failures are logged and left for the next rematch.
int64_t fetch_bodies(const sync_deps& deps, int64_t account_id, const std::string& mailbox,
                     const std::vector<std::string>& gmail_ids);

// Spawns a detached actor that fetches `todo`, mailbox by mailbox (paused mailboxes are
// skipped), then wakes env.on_synced (the attachment fetcher). Returns at once.
void spawn_body_fetch(caf::actor_system& sys, syncer_env env, std::vector<body_fetch> todo);

} // namespace gc::actors

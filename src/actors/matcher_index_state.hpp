#pragma once
// Internal to actors/matcher_index*.cpp: the actor's state and the functions its two source
// files share (index maintenance in matcher_index.cpp, rematch in matcher_rematch.cpp).
#include "actors/matcher_index.hpp"
#include "store/db.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace gc::actors {

struct rematch_job {
  std::string since;
  caf::typed_response_promise<rematch_result> rp;
  int64_t after_id = 0;            // last email id scanned
  rematch_result out;
};

struct matcher_index_state {
  matcher_index_options opts;
  caf::actor_addr supervisor;      // weak: the supervisor holds us, we must not hold it
  std::unique_ptr<store::connection> conn;  // read-only, this actor's thread only
  match_snapshot snapshot;         // null until the first successful build
  matcher_stats stats;
  std::optional<int64_t> data_version;      // at the last successful check
  std::deque<rematch_job> rematches;        // front = running
  static inline const char* name = "matcher_index";
};

namespace detail {

using matcher_pointer = matcher_index_actor::stateful_pointer<matcher_index_state>;

// Rebuilds when the CRM rows changed (always when `force`). Errors go to stats.last_error
// and the log; the previous snapshot stays.
void check_crm(matcher_pointer self, bool force);

// Rematch: handles (page_atom); starts the next queued job after one finishes.
void rematch_page(matcher_pointer self);
void start_rematch(matcher_pointer self);
// Answers every queued rematch with `err` (actor exit).
void fail_rematches(matcher_pointer self, const caf::error& err);

} // namespace detail
} // namespace gc::actors

#pragma once
// supervisor: one-for-one supervision of named children (design.md "Actors").
//
// Each child is created by its child_factory and monitored (not linked). When a child exits
// abnormally it is restarted after a backoff (initial_backoff, doubling up to max_backoff;
// back to initial_backoff when the child had been up for healthy_after), with one log line
// "actor <name> died: <reason>; restart #N in <ms> ms". A normal exit is not restarted.
// A factory that throws counts as a crash. Timing uses the actor clock, so tests can drive
// it with the deterministic test_coordinator.
//
// When the supervisor gets an exit message (runtime shutdown: user_shutdown) it sends the
// same reason to every live child and quits; its state destructor also stops any child
// still alive, whatever way the supervisor ends.
//
// Messages (untyped actor):
//   (caf::get_atom, std::string name)     -> caf::actor   current handle of a live child,
//                                              else errc::unavailable / errc::unknown_child
//   (status_atom)                          -> std::vector<child_info>, in insertion order
//   (caf::add_atom, child_spec)            -> caf::ok_atom (or errc::duplicate_child)
//   (caf::delete_atom, std::string name)   -> caf::ok_atom stops the child (user_shutdown)
//                                              and forgets it; errc::unknown_child otherwise
//   (respawn_atom, std::string, uint64_t)  internal (delayed self-send)
#include "actors/messages.hpp"

#include <chrono>
#include <vector>

namespace gc::actors {

struct supervisor_options {
  caf::timespan initial_backoff = std::chrono::milliseconds(100);
  caf::timespan max_backoff = std::chrono::seconds(30);
  caf::timespan healthy_after = std::chrono::seconds(60);
};

struct supervisor_state;  // defined in supervisor.cpp

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         std::vector<child_spec> children, supervisor_options opts);

// Spawns a supervisor (cooperatively scheduled; children choose their own spawn options)
// and starts `children` in order.
caf::actor spawn_supervisor(caf::actor_system& sys, std::vector<child_spec> children,
                            supervisor_options opts = {});

} // namespace gc::actors

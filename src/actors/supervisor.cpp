#include "actors/supervisor.hpp"

#include "core/log.hpp"

#include <algorithm>
#include <utility>

namespace gc::actors {

namespace {

struct child_entry {
  child_spec spec;
  caf::actor handle;                        // null while down
  int32_t restarts = 0;                     // restarts performed so far
  std::string last_exit_reason;
  caf::actor_clock::time_point started_at;  // last (attempted) start, actor clock
  caf::timespan backoff{};                  // delay before the next restart
  uint64_t pending = 0;                     // token of the scheduled respawn; 0 = none
};

} // namespace

struct supervisor_state {
  std::vector<child_entry> children;
  supervisor_options opts;
  uint64_t next_token = 1;
  static inline const char* name = "supervisor";

  // However the supervisor ends, it takes its children with it.
  ~supervisor_state() {
    for (auto& c : children)
      if (c.handle)
        caf::anon_send_exit(c.handle, caf::exit_reason::user_shutdown);
  }
};

namespace {

using pointer = caf::stateful_actor<supervisor_state>*;

child_entry* find(supervisor_state& st, const std::string& name) {
  for (auto& c : st.children)
    if (c.spec.name == name)
      return &c;
  return nullptr;
}

long long to_ms(caf::timespan d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Records an abnormal end of `c` and schedules its restart after the current backoff.
void crashed(pointer self, child_entry& c, std::string reason) {
  auto& st = self->state;
  c.handle = nullptr;
  c.last_exit_reason = std::move(reason);
  if (self->clock().now() - c.started_at >= st.opts.healthy_after)
    c.backoff = st.opts.initial_backoff;  // it had been healthy for a while
  auto delay = c.backoff;
  c.backoff = std::min(c.backoff * 2, st.opts.max_backoff);
  c.pending = st.next_token++;
  log::warn("actor {} died: {}; restart #{} in {} ms", c.spec.name, c.last_exit_reason,
            c.restarts + 1, to_ms(delay));
  self->delayed_send(self, delay, respawn_atom_v, c.spec.name, c.pending);
}

// Starts (or restarts) `c`; a throwing factory or a null handle counts as a crash.
void start(pointer self, child_entry& c) {
  c.pending = 0;
  c.started_at = self->clock().now();
  std::string failure;
  try {
    c.handle = c.spec.factory(self);
    if (!c.handle)
      failure = "factory returned no actor";
  } catch (const std::exception& e) {
    failure = std::string{"factory failed: "} + e.what();
  } catch (...) {
    failure = "factory failed";
  }
  if (!failure.empty())
    return crashed(self, c, std::move(failure));
  self->monitor(c.handle);
}

void on_down(pointer self, caf::down_msg& dm) {
  for (auto& c : self->state.children) {
    if (!c.handle || c.handle.address() != dm.source)
      continue;
    // normal and user_shutdown are deliberate stops: no restart.
    if (!dm.reason || dm.reason == caf::exit_reason::user_shutdown) {
      c.handle = nullptr;
      c.last_exit_reason = dm.reason ? self->system().render(dm.reason) : "normal";
      log::info("actor {} stopped: {}", c.spec.name, c.last_exit_reason);
      return;
    }
    return crashed(self, c, self->system().render(dm.reason));
  }
  // else: a child already deleted or replaced; nothing to do
}

} // namespace

caf::behavior supervisor(pointer self, std::vector<child_spec> children,
                         supervisor_options opts) {
  auto& st = self->state;
  st.opts = opts;
  self->set_down_handler([self](caf::down_msg& dm) { on_down(self, dm); });
  // Shutdown: forward the reason to every live child, then go. A "normal" exit message
  // would be ignored by the children, so they get user_shutdown instead.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    caf::error reason = msg.reason ? msg.reason : caf::exit_reason::user_shutdown;
    for (auto& c : self->state.children) {
      if (c.handle) {
        self->demonitor(c.handle);
        self->send_exit(c.handle, reason);
        c.handle = nullptr;
      }
    }
    self->quit(msg.reason);
  });
  st.children.reserve(children.size());
  for (auto& spec : children)
    st.children.push_back(child_entry{std::move(spec), {}, 0, {}, {}, opts.initial_backoff, 0});
  for (auto& c : st.children)
    start(self, c);
  return {
    [self](caf::get_atom, const std::string& name) -> caf::result<caf::actor> {
      auto c = find(self->state, name);
      if (!c)
        return make_gc_error(errc::unknown_child, "no child named " + name);
      if (!c->handle)
        return make_gc_error(errc::unavailable, "actor " + name + " is down");
      return c->handle;
    },
    [self](status_atom) {
      std::vector<child_info> out;
      for (auto& c : self->state.children)
        out.push_back(child_info{c.spec.name, c.restarts, static_cast<bool>(c.handle),
                                 c.last_exit_reason});
      return out;
    },
    [self](caf::add_atom, child_spec& spec) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (find(st, spec.name))
        return make_gc_error(errc::duplicate_child, "child exists: " + spec.name);
      st.children.push_back(
        child_entry{std::move(spec), {}, 0, {}, {}, st.opts.initial_backoff, 0});
      start(self, st.children.back());
      return caf::ok_atom::value;
    },
    [self](caf::delete_atom, const std::string& name) -> caf::result<caf::ok_atom> {
      auto& cs = self->state.children;
      auto i = std::find_if(cs.begin(), cs.end(),
                            [&](const child_entry& c) { return c.spec.name == name; });
      if (i == cs.end())
        return make_gc_error(errc::unknown_child, "no child named " + name);
      if (i->handle) {
        self->demonitor(i->handle);
        self->send_exit(i->handle, caf::exit_reason::user_shutdown);
      }
      cs.erase(i);  // a pending respawn finds no entry and is dropped
      return caf::ok_atom::value;
    },
    [self](respawn_atom, const std::string& name, uint64_t token) {
      auto c = find(self->state, name);
      if (!c || c->handle || c->pending != token)
        return;  // deleted, re-added, or already running
      ++c->restarts;
      start(self, *c);
    },
  };
}

caf::actor spawn_supervisor(caf::actor_system& sys, std::vector<child_spec> children,
                            supervisor_options opts) {
  return sys.spawn(supervisor, std::move(children), opts);
}

} // namespace gc::actors

#include "actors/runtime.hpp"

#include "actors/store_writer.hpp"
#include "actors/supervisor.hpp"
#include "actors/thread_priority.hpp"
#include "core/log.hpp"

#include <future>
#include <utility>

namespace gc::actors {

namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

template <class T>
void call_done(const std::function<void(gc::result<T>)>& done, gc::result<T> r) {
  try {
    done(std::move(r));
  } catch (const std::exception& e) {
    log::error("runtime: completion callback threw: {}", e.what());
  }
}

// Time left until `deadline`, at least 1 ms (a zero timeout would never fire).
caf::duration remaining(clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
  return caf::duration{std::max(left, std::chrono::milliseconds{1})};
}

std::vector<runtime::child_status> convert(const std::vector<child_info>& xs) {
  std::vector<runtime::child_status> out;
  out.reserve(xs.size());
  for (auto& x : xs)
    out.push_back({x.name, x.restarts, x.alive, x.last_exit_reason});
  return out;
}

} // namespace

gc::error to_gc_error(const caf::error& err) { return {error_code(err), error_detail(err)}; }

runtime::runtime(const gc::core::config& cfg, int background_nice)
    : cfg_{std::make_unique<caf::actor_system_config>()} {
  if (background_nice > 0) cfg_->add_thread_hook<background_priority>(background_nice);
  // An idle scheduler worker goes from its short spin straight to a condition variable. CAF's
  // default "moderate" phase instead sleeps 50 us at a time up to 500 times: measured as 178k
  // nanosleep calls in one 6,000-message sync, CPU the backfill needs.
  cfg_->set("work-stealing.moderate-poll-attempts", size_t{0});
  cfg_->add_message_types<caf::id_block::gc>();
  cfg_->add_error_category(caf::atom("gc"),
                           [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                             auto s = to_string(static_cast<errc>(code));
                             return ctx.empty() ? s : s + " " + caf::to_string(ctx);
                           });
  sys_ = std::make_unique<caf::actor_system>(*cfg_);
  store_writer_options opts{cfg.db_path};
  std::vector<child_spec> children;
  children.push_back({store_writer_name, [opts](caf::local_actor* parent) {
                        return spawn_store_writer(parent, opts);
                      }});
  supervisor_ = spawn_supervisor(*sys_, std::move(children));
  log::info("runtime: started (store {})", cfg.db_path);
}

runtime::~runtime() { shutdown(); }

caf::actor_system& runtime::system() { return *sys_; }

void runtime::write(write_fn fn, std::function<void(gc::result<int64_t>)> done,
                    std::chrono::milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  auto fail = [done](caf::error& e) { call_done<int64_t>(done, to_gc_error(e)); };
  sys_->spawn([sup = supervisor_, fn = std::move(fn), done, fail,
               deadline](caf::event_based_actor* self) {
    // Ask for the current writer each time: after a restart the handle changes.
    self->request(sup, remaining(deadline), caf::get_atom_v, std::string{store_writer_name})
      .then(
        [self, fn, done, fail, deadline](caf::actor& writer) {
          auto w = caf::actor_cast<store_writer_actor>(writer);
          self->request(w, remaining(deadline), write_atom_v, fn)
            .then([done](int64_t v) { call_done<int64_t>(done, v); }, fail);
        },
        fail);
  });
}

gc::result<int64_t> runtime::write_sync(write_fn fn, std::chrono::milliseconds timeout) {
  auto p = std::make_shared<std::promise<gc::result<int64_t>>>();
  auto f = p->get_future();
  write(std::move(fn), [p](gc::result<int64_t> r) { p->set_value(std::move(r)); }, timeout);
  return f.get();
}

void runtime::children(std::function<void(gc::result<std::vector<child_status>>)> done) {
  using reply = gc::result<std::vector<child_status>>;
  sys_->spawn([sup = supervisor_, done](caf::event_based_actor* self) {
    self->request(sup, caf::duration{5s}, status_atom_v)
      .then(
        [done](std::vector<child_info>& xs) { call_done<std::vector<child_status>>(done, convert(xs)); },
        [done](caf::error& e) { call_done<std::vector<child_status>>(done, reply{to_gc_error(e)}); });
  });
}

std::vector<runtime::child_status> runtime::children_sync() {
  auto p = std::make_shared<std::promise<gc::result<std::vector<child_status>>>>();
  auto f = p->get_future();
  children([p](gc::result<std::vector<child_status>> r) { p->set_value(std::move(r)); });
  auto r = f.get();
  return r ? std::move(r).value() : std::vector<child_status>{};
}

void runtime::shutdown() {
  if (down_.exchange(true))
    return;
  log::info("runtime: shutting down");
  caf::anon_send_exit(supervisor_, caf::exit_reason::user_shutdown);
  sys_->await_all_actors_done();
  log::info("runtime: all actors done");
}

} // namespace gc::actors

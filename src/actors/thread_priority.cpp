#include "actors/thread_priority.hpp"

#include "core/log.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gc::actors {

namespace {

// Linux: the nice value is per thread; PRIO_PROCESS with a thread id reads or sets one thread.
id_t this_thread_id() { return static_cast<id_t>(syscall(SYS_gettid)); }

} // namespace

void background_priority::init(caf::actor_system&) {
  errno = 0;
  const int base = getpriority(PRIO_PROCESS, this_thread_id());  // -1 is valid: check errno
  target_ = std::min((errno == 0 ? base : 0) + nice_, 19);
}

void background_priority::thread_started() {
  if (setpriority(PRIO_PROCESS, this_thread_id(), target_) != 0)
    log::warn("runtime: cannot lower the priority of an actor thread: {}", std::strerror(errno));
}

} // namespace gc::actors

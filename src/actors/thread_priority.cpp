#include "actors/thread_priority.hpp"

#include "core/log.hpp"

#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gc::actors {

void background_priority::thread_started() {
  // Linux: the nice value is per thread; PRIO_PROCESS with a thread id sets this thread's only.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, tid, nice_) != 0)
    log::warn("runtime: cannot lower the priority of an actor thread: {}", std::strerror(errno));
}

} // namespace gc::actors

#include "dt/wait.hpp"

#include <sys/wait.h>

#include <cerrno>

namespace dt {

pid_t wait_nohang(int* status) {
  for (;;) {
    pid_t r = ::waitpid(-1, status, WNOHANG);
    if (r >= 0 || errno != EINTR) return r;
  }
}

pid_t wait_pid(pid_t pid, int* status) {
  for (;;) {
    pid_t r = ::waitpid(pid, status, 0);
    if (r >= 0 || errno != EINTR) return r;
  }
}

}  // namespace dt

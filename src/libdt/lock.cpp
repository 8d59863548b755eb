#include "dt/lock.hpp"

#include <sys/file.h>

#include <cerrno>

namespace dt {

static int flock_retry(int fd, int op) {
  for (;;) {
    if (::flock(fd, op) == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

int lock_ex(int fd) { return flock_retry(fd, LOCK_EX); }
int lock_exnb(int fd) { return flock_retry(fd, LOCK_EX | LOCK_NB); }

}  // namespace dt

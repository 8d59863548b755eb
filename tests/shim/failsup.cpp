// LD_PRELOAD shim for the supervise tests, in our supervise and Debian's
// alike. $SHIM_FAIL names the call that fails, with errno $SHIM_ERRNO:
//   readlink  every readlink(2) (the "unable to readlink" messages);
//   poll      every poll(2) on one descriptor or more (a lasting poll error:
//             poll with none, a plain sleep, still works).
#include <poll.h>
#include <unistd.h>

#include "shim.hpp"

using shim::failing;

extern "C" {
ssize_t readlink(const char* path, char* buf, size_t len) {
  if (failing("readlink")) return -1;
  return SHIM_REAL(readlink)(path, buf, len);
}
int poll(struct pollfd* fds, nfds_t n, int timeout) {
  if (n > 0 && failing("poll")) return -1;
  return SHIM_REAL(poll)(fds, n, timeout);
}
}

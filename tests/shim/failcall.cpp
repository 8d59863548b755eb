// LD_PRELOAD shim for tests: the call named by $SHIM_FAIL (fork, pipe, dup,
// read, waitpid, flock) fails with errno $SHIM_ERRNO, in our programs and the
// reference alike, so their messages and exit codes can be compared. read
// fails only on descriptors >= 3, leaving stdin alone.
#include <sys/file.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.hpp"

using shim::failing;

extern "C" {
pid_t fork() {
  if (failing("fork")) return -1;
  return SHIM_REAL(fork)();
}
int pipe(int fds[2]) {
  if (failing("pipe")) return -1;
  return SHIM_REAL(pipe)(fds);
}
int pipe2(int fds[2], int flags) {
  if (failing("pipe")) return -1;
  return SHIM_REAL(pipe2)(fds, flags);
}
int dup(int fd) {
  if (failing("dup")) return -1;
  return SHIM_REAL(dup)(fd);
}
ssize_t read(int fd, void* buf, size_t len) {
  if (fd >= 3 && failing("read")) return -1;
  return SHIM_REAL(read)(fd, buf, len);
}
pid_t waitpid(pid_t pid, int* status, int options) {
  if (failing("waitpid")) return -1;
  return SHIM_REAL(waitpid)(pid, status, options);
}
int flock(int fd, int op) {
  if (failing("flock")) return -1;
  return SHIM_REAL(flock)(fd, op);
}
}

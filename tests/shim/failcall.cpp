// LD_PRELOAD shim for tests: the call named by $SHIM_FAIL (fork, pipe, dup,
// read, waitpid, flock) fails with errno $SHIM_ERRNO, in our programs and the
// reference alike, so their messages and exit codes can be compared. read
// fails only on descriptors >= 3, leaving stdin alone.
#include <dlfcn.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {
bool failing(const char* name) {
  const char* f = std::getenv("SHIM_FAIL");
  if (!f || std::strcmp(f, name) != 0) return false;
  const char* e = std::getenv("SHIM_ERRNO");
  errno = e ? std::atoi(e) : EIO;
  return true;
}
template <class F> F next(const char* name) { return reinterpret_cast<F>(dlsym(RTLD_NEXT, name)); }
}  // namespace

extern "C" {
pid_t fork() {
  if (failing("fork")) return -1;
  return next<pid_t (*)()>("fork")();
}
int pipe(int fds[2]) {
  if (failing("pipe")) return -1;
  return next<int (*)(int*)>("pipe")(fds);
}
int pipe2(int fds[2], int flags) {
  if (failing("pipe")) return -1;
  return next<int (*)(int*, int)>("pipe2")(fds, flags);
}
int dup(int fd) {
  if (failing("dup")) return -1;
  return next<int (*)(int)>("dup")(fd);
}
ssize_t read(int fd, void* buf, size_t len) {
  if (fd >= 3 && failing("read")) return -1;
  return next<ssize_t (*)(int, void*, size_t)>("read")(fd, buf, len);
}
pid_t waitpid(pid_t pid, int* status, int options) {
  if (failing("waitpid")) return -1;
  return next<pid_t (*)(pid_t, int*, int)>("waitpid")(pid, status, options);
}
int flock(int fd, int op) {
  if (failing("flock")) return -1;
  return next<int (*)(int, int)>("flock")(fd, op);
}
}

// LD_PRELOAD shim for tests: makes one library call fail in processes
// named svscan (the program and its children before they exec), so error
// paths of ours and of the reference can be compared.
//   SHIM_FAIL=CALL:ERRNO:NTH[:ARG]
// CALL is fork, pipe (pipe and pipe2), chdir, stat, readdir, inotify
// (inotify_init1: our svscan without instant pick-up), realloc (our
// svscan's table growth: ERRNO is ENOMEM whatever is given) or poll; NTH the
// 1-based count of the matching call that fails (0: every one); ARG, when
// given, restricts it to calls on that path.
#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.hpp"

namespace {

int counter = 0;

bool should_fail(const char* call, const char* path) {
  const char* spec = std::getenv("SHIM_FAIL");
  if (!spec || std::strcmp(program_invocation_short_name, "svscan") != 0) return false;
  std::size_t n = std::strlen(call);
  if (std::strncmp(spec, call, n) != 0 || spec[n] != ':') return false;
  char* p;
  long e = std::strtol(spec + n + 1, &p, 10);
  if (*p != ':') return false;
  long nth = std::strtol(p + 1, &p, 10);
  if (*p == ':' && (!path || std::strcmp(p + 1, path) != 0)) return false;
  ++counter;
  if (nth != 0 && counter != nth) return false;
  errno = static_cast<int>(e);
  return true;
}

}  // namespace

extern "C" {

pid_t fork() {
  if (should_fail("fork", nullptr)) return -1;
  return SHIM_REAL(fork)();
}
int pipe(int fd[2]) {
  if (should_fail("pipe", nullptr)) return -1;
  return SHIM_REAL(pipe)(fd);
}
int pipe2(int fd[2], int flags) {
  if (should_fail("pipe", nullptr)) return -1;
  return SHIM_REAL(pipe2)(fd, flags);
}
int chdir(const char* path) {
  if (should_fail("chdir", path)) return -1;
  return SHIM_REAL(chdir)(path);
}
int stat(const char* path, struct stat* st) {
  if (should_fail("stat", path)) return -1;
  return SHIM_REAL(stat)(path, st);
}
int inotify_init1(int flags) {
  if (should_fail("inotify", nullptr)) return -1;
  return SHIM_REAL(inotify_init1)(flags);
}
void* realloc(void* p, size_t n) {
  if (should_fail("realloc", nullptr)) {
    errno = ENOMEM;
    return nullptr;
  }
  return SHIM_REAL(realloc)(p, n);
}
int poll(struct pollfd* p, nfds_t n, int timeout) {
  if (should_fail("poll", nullptr)) return -1;
  return SHIM_REAL(poll)(p, n, timeout);
}
struct dirent* readdir(DIR* d) {
  if (should_fail("readdir", nullptr)) return nullptr;
  return SHIM_REAL(readdir)(d);
}
struct dirent64* readdir64(DIR* d) {
  if (should_fail("readdir", nullptr)) return nullptr;
  return SHIM_REAL(readdir64)(d);
}
}

// LD_PRELOAD shim for the crash tests: the process kills itself with
// SIGKILL at a chosen point, as a power cut or kill -9 would stop it there.
//   CRASH_AT=N   the Nth event is the last thing the process does
// An event is the moment just before, or just after, one of the calls that
// change files: open, openat, write (descriptors >= 3), fsync, fdatasync,
// sync_file_range, fchmod, fchmodat, chmod, mkdir, link, linkat, unlink,
// unlinkat, rename, renameat, renameat2. So event 2k+1 is "before call k"
// and 2k+2 is "after call k": the crash lands between any two of them,
// e.g. after a link and before the unlink that should follow it. Only the
// process that loaded the shim counts (a forked processor does not).
// CRASH_LOG=FILE appends "N NAME\n" for each event, to see what is where.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "shim.hpp"

namespace {

pid_t owner = 0;
long target = -1;  // -1: not read yet; 0: never
long events = 0;

__attribute__((constructor)) void init() { owner = ::getpid(); }

void event(const char* name) {
  if (target == -1) {
    const char* s = std::getenv("CRASH_AT");
    target = s ? std::atol(s) : 0;
  }
  if (::getpid() != owner) return;
  ++events;
  if (const char* log = std::getenv("CRASH_LOG")) {
    char line[96];
    int n = std::snprintf(line, sizeof line, "%ld %s\n", events, name);
    int fd = SHIM_REAL(open)(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (SHIM_REAL(write)(fd, line, static_cast<size_t>(n)) < 0) {
      }
      ::close(fd);
    }
  }
  if (target > 0 && events == target) ::kill(::getpid(), SIGKILL);
}

// around NAME, CALL: the call, with an event on each side of it
#define AROUND(name, call) \
  do {                     \
    event(name);           \
    auto r_ = (call);      \
    int e_ = errno;        \
    event(name);           \
    errno = e_;            \
    return r_;             \
  } while (0)

mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? static_cast<mode_t>(va_arg(ap, unsigned)) : 0;
}

}  // namespace

extern "C" {
int open(const char* p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t m = mode_arg(flags, ap);
  va_end(ap);
  AROUND("open", SHIM_REAL(open)(p, flags, m));
}
int open64(const char* p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t m = mode_arg(flags, ap);
  va_end(ap);
  AROUND("open", SHIM_REAL(open64)(p, flags, m));
}
int openat(int d, const char* p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t m = mode_arg(flags, ap);
  va_end(ap);
  AROUND("openat", SHIM_REAL(openat)(d, p, flags, m));
}
int openat64(int d, const char* p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t m = mode_arg(flags, ap);
  va_end(ap);
  AROUND("openat", SHIM_REAL(openat64)(d, p, flags, m));
}
ssize_t write(int fd, const void* b, size_t n) {
  if (fd < 3) return SHIM_REAL(write)(fd, b, n);
  AROUND("write", SHIM_REAL(write)(fd, b, n));
}
int fsync(int fd) { AROUND("fsync", SHIM_REAL(fsync)(fd)); }
int fdatasync(int fd) { AROUND("fdatasync", SHIM_REAL(fdatasync)(fd)); }
int sync_file_range(int fd, off64_t o, off64_t n, unsigned int f) {
  AROUND("sync_file_range", SHIM_REAL(sync_file_range)(fd, o, n, f));
}
int fchmod(int fd, mode_t m) { AROUND("fchmod", SHIM_REAL(fchmod)(fd, m)); }
int fchmodat(int d, const char* p, mode_t m, int f) { AROUND("fchmodat", SHIM_REAL(fchmodat)(d, p, m, f)); }
int chmod(const char* p, mode_t m) { AROUND("chmod", SHIM_REAL(chmod)(p, m)); }
int mkdir(const char* p, mode_t m) { AROUND("mkdir", SHIM_REAL(mkdir)(p, m)); }
int link(const char* a, const char* b) { AROUND("link", SHIM_REAL(link)(a, b)); }
int linkat(int da, const char* a, int db, const char* b, int f) {
  AROUND("linkat", SHIM_REAL(linkat)(da, a, db, b, f));
}
int unlink(const char* p) { AROUND("unlink", SHIM_REAL(unlink)(p)); }
int unlinkat(int d, const char* p, int f) { AROUND("unlinkat", SHIM_REAL(unlinkat)(d, p, f)); }
int rename(const char* a, const char* b) { AROUND("rename", SHIM_REAL(rename)(a, b)); }
int renameat(int da, const char* a, int db, const char* b) { AROUND("renameat", SHIM_REAL(renameat)(da, a, db, b)); }
int renameat2(int da, const char* a, int db, const char* b, unsigned f) {
  AROUND("renameat2", SHIM_REAL(renameat2)(da, a, db, b, f));
}
}

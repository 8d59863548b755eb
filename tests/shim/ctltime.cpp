// LD_PRELOAD shim for the control-tool tests (svstat, svc), in our programs
// and the reference alike:
//   SHIM_TIME=N           time() returns N, so svstat's seconds are exact;
//   SHIM_FAIL=fchdir      fchdir fails with errno $SHIM_ERRNO (default EIO);
//   SHIM_FAIL=write       write on descriptors >= 3 fails likewise.
#include <dlfcn.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

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
time_t time(time_t* t) {
  if (const char* s = std::getenv("SHIM_TIME")) {
    time_t v = static_cast<time_t>(std::strtoll(s, nullptr, 10));
    if (t) *t = v;
    return v;
  }
  return next<time_t (*)(time_t*)>("time")(t);
}
int fchdir(int fd) {
  if (failing("fchdir")) return -1;
  return next<int (*)(int)>("fchdir")(fd);
}
ssize_t write(int fd, const void* buf, size_t len) {
  if (fd >= 3 && failing("write")) return -1;
  return next<ssize_t (*)(int, const void*, size_t)>("write")(fd, buf, len);
}
}

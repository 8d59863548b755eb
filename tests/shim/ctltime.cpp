// LD_PRELOAD shim for the control-tool tests (svstat, svc), in our programs
// and the reference alike:
//   SHIM_TIME=N           time() returns N, so svstat's seconds are exact;
//   SHIM_FAIL=fchdir      fchdir fails with errno $SHIM_ERRNO (default EIO);
//   SHIM_FAIL=write       write on descriptors >= 3 fails likewise;
//   SHIM_TIMEOFDAY=S.U    gettimeofday() returns S seconds, U microseconds
//                         (multilog's stamps at a chosen instant).
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "shim.hpp"

using shim::failing;

extern "C" {
time_t time(time_t* t) {
  if (const char* s = std::getenv("SHIM_TIME")) {
    time_t v = static_cast<time_t>(std::strtoll(s, nullptr, 10));
    if (t) *t = v;
    return v;
  }
  return SHIM_REAL(time)(t);
}
int fchdir(int fd) {
  if (failing("fchdir")) return -1;
  return SHIM_REAL(fchdir)(fd);
}
ssize_t write(int fd, const void* buf, size_t len) {
  if (fd >= 3 && failing("write")) return -1;
  return SHIM_REAL(write)(fd, buf, len);
}
int gettimeofday(struct timeval* tv, void* tz) {
  if (const char* s = std::getenv("SHIM_TIMEOFDAY")) {
    char* end;
    tv->tv_sec = static_cast<time_t>(std::strtoll(s, &end, 10));
    tv->tv_usec = *end == '.' ? static_cast<suseconds_t>(std::strtol(end + 1, nullptr, 10)) : 0;
    return 0;
  }
  return SHIM_REAL(gettimeofday)(tv, static_cast<struct timezone*>(tz));
}
}

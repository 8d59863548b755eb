// LD_PRELOAD shim for tests of setuidgid, envuidgid, envdir and softlimit:
// the call named by $SHIM_FAIL (setgroups, setgid, setuid, getrlimit,
// setrlimit, fchdir, readdir, closedir) fails with errno $SHIM_ERRNO, in
// our programs and the reference alike, so their messages and exit codes
// can be compared.
#include <dirent.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.hpp"

using shim::failing;

extern "C" {
int setgroups(size_t n, const gid_t* g) {
  if (failing("setgroups")) return -1;
  return SHIM_REAL(setgroups)(n, g);
}
int setgid(gid_t g) {
  if (failing("setgid")) return -1;
  return SHIM_REAL(setgid)(g);
}
int setuid(uid_t u) {
  if (failing("setuid")) return -1;
  return SHIM_REAL(setuid)(u);
}
int getrlimit(__rlimit_resource_t r, struct rlimit* l) {
  if (failing("getrlimit")) return -1;
  return SHIM_REAL(getrlimit)(r, l);
}
int setrlimit(__rlimit_resource_t r, const struct rlimit* l) {
  if (failing("setrlimit")) return -1;
  return SHIM_REAL(setrlimit)(r, l);
}
int fchdir(int fd) {
  if (failing("fchdir")) return -1;
  return SHIM_REAL(fchdir)(fd);
}
struct dirent* readdir(DIR* d) {
  if (failing("readdir")) return nullptr;
  return SHIM_REAL(readdir)(d);
}
struct dirent64* readdir64(DIR* d) {
  if (failing("readdir")) return nullptr;
  return SHIM_REAL(readdir64)(d);
}
int closedir(DIR* d) {
  if (failing("closedir")) {
    SHIM_REAL(closedir)(d);
    errno = shim::env_errno();
    return -1;
  }
  return SHIM_REAL(closedir)(d);
}
}

// LD_PRELOAD shim for tests of setuidgid, envuidgid, envdir and softlimit:
// the call named by $SHIM_FAIL (setgroups, setgid, setuid, getrlimit,
// setrlimit, fchdir, readdir, closedir) fails with errno $SHIM_ERRNO, in
// our programs and the reference alike, so their messages and exit codes
// can be compared.
#include <dirent.h>
#include <dlfcn.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

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
int setgroups(size_t n, const gid_t* g) {
  if (failing("setgroups")) return -1;
  return next<int (*)(size_t, const gid_t*)>("setgroups")(n, g);
}
int setgid(gid_t g) {
  if (failing("setgid")) return -1;
  return next<int (*)(gid_t)>("setgid")(g);
}
int setuid(uid_t u) {
  if (failing("setuid")) return -1;
  return next<int (*)(uid_t)>("setuid")(u);
}
int getrlimit(__rlimit_resource_t r, struct rlimit* l) {
  if (failing("getrlimit")) return -1;
  return next<int (*)(__rlimit_resource_t, struct rlimit*)>("getrlimit")(r, l);
}
int setrlimit(__rlimit_resource_t r, const struct rlimit* l) {
  if (failing("setrlimit")) return -1;
  return next<int (*)(__rlimit_resource_t, const struct rlimit*)>("setrlimit")(r, l);
}
int fchdir(int fd) {
  if (failing("fchdir")) return -1;
  return next<int (*)(int)>("fchdir")(fd);
}
struct dirent* readdir(DIR* d) {
  if (failing("readdir")) return nullptr;
  return next<struct dirent* (*)(DIR*)>("readdir")(d);
}
struct dirent64* readdir64(DIR* d) {
  if (failing("readdir")) return nullptr;
  return next<struct dirent64* (*)(DIR*)>("readdir64")(d);
}
int closedir(DIR* d) {
  if (failing("closedir")) {
    next<int (*)(DIR*)>("closedir")(d);
    errno = std::atoi(std::getenv("SHIM_ERRNO") ? std::getenv("SHIM_ERRNO") : "5");
    return -1;
  }
  return next<int (*)(DIR*)>("closedir")(d);
}
}

// LD_PRELOAD shim for tests: makes file-system calls fail, to show how a
// program copes with a full disk and other trouble. Environment:
//   FAULT_ERRNO   errno to fail with (default ENOSPC)
//   FAULT_WRITE   number of write(2) calls on regular files to fail
//   FAULT_FSYNC   number of fsync(2) calls to fail
//   FAULT_RENAME  number of rename(2)/renameat(2) calls to fail
// Counters are per process (a forked child starts with the parent's).
#include <dlfcn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace {

long left(const char* name, long& cache) {
  if (cache == -1) {
    const char* s = std::getenv(name);
    cache = s ? std::atol(s) : 0;
  }
  return cache;
}
int fault_errno() {
  const char* s = std::getenv("FAULT_ERRNO");
  return s ? std::atoi(s) : ENOSPC;
}
long writes = -1, fsyncs = -1, renames = -1;

bool regular(int fd) {
  struct stat st;
  return fd >= 3 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

extern "C" ssize_t write(int fd, const void* buf, size_t len) {
  using fn = ssize_t (*)(int, const void*, size_t);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "write"));
  if (left("FAULT_WRITE", writes) > 0 && regular(fd)) {
    --writes;
    errno = fault_errno();
    return -1;
  }
  return real(fd, buf, len);
}

extern "C" int fsync(int fd) {
  using fn = int (*)(int);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "fsync"));
  if (left("FAULT_FSYNC", fsyncs) > 0) {
    --fsyncs;
    errno = fault_errno();
    return -1;
  }
  return real(fd);
}

extern "C" int rename(const char* a, const char* b) {
  using fn = int (*)(const char*, const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "rename"));
  if (left("FAULT_RENAME", renames) > 0) {
    --renames;
    errno = fault_errno();
    return -1;
  }
  return real(a, b);
}

extern "C" int renameat(int da, const char* a, int db, const char* b) {
  using fn = int (*)(int, const char*, int, const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "renameat"));
  if (left("FAULT_RENAME", renames) > 0) {
    --renames;
    errno = fault_errno();
    return -1;
  }
  return real(da, a, db, b);
}

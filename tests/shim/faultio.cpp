// LD_PRELOAD shim for tests: makes file-system calls fail, to show how a
// program copes with a full disk and other trouble. Environment:
//   FAULT_ERRNO   errno to fail with (default ENOSPC)
//   FAULT_WRITE   number of write(2) calls on regular files to fail
//   FAULT_FSYNC   number of fsync(2) calls to fail
//   FAULT_RENAME  number of rename(2)/renameat(2) calls to fail
//   FAULT_OPEN    number of open(2) calls to fail
//   FAULT_LINK    number of link(2)/linkat(2) calls to fail
//   FAULT_UNLINK  number of unlink(2)/unlinkat(2) calls to fail
//   FAULT_OPENDIR number of opendir(3)/fdopendir(3) calls to fail
//   FAULT_READDIR number of readdir(3) calls to fail (NULL with errno set)
//   FAULT_NAME    if set, open, fsync, rename, link and unlink fail only on a
//                 file (the first path) whose last component starts with it
// Counters are per process (a forked child starts with the parent's).
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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
long writes = -1, fsyncs = -1, renames = -1, opens = -1, links = -1, unlinks = -1, opendirs = -1, readdirs = -1;

bool named(const char* path) {
  const char* want = std::getenv("FAULT_NAME");
  if (!want) return true;
  const char* base = std::strrchr(path, '/');
  base = base ? base + 1 : path;
  return std::strncmp(base, want, std::strlen(want)) == 0;
}
// take(NAME, counter): this call is one of those to fail
bool named_fd(int fd) {
  if (!std::getenv("FAULT_NAME")) return true;
  char proc[64], path[4096];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  ssize_t n = ::readlink(proc, path, sizeof path - 1);
  if (n < 0) return false;
  path[n] = 0;
  return named(path);
}
bool take(const char* name, long& cache) {
  if (left(name, cache) <= 0) return false;
  --cache;
  errno = fault_errno();
  return true;
}

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
  if (named_fd(fd) && take("FAULT_FSYNC", fsyncs)) return -1;
  return real(fd);
}

extern "C" int rename(const char* a, const char* b) {
  using fn = int (*)(const char*, const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "rename"));
  if (named(a) && take("FAULT_RENAME", renames)) return -1;
  return real(a, b);
}

extern "C" int renameat(int da, const char* a, int db, const char* b) {
  using fn = int (*)(int, const char*, int, const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "renameat"));
  if (named(a) && take("FAULT_RENAME", renames)) return -1;
  return real(da, a, db, b);
}

extern "C" int link(const char* a, const char* b) {
  using fn = int (*)(const char*, const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "link"));
  if (named(a) && take("FAULT_LINK", links)) return -1;
  return real(a, b);
}

extern "C" int linkat(int da, const char* a, int db, const char* b, int flags) {
  using fn = int (*)(int, const char*, int, const char*, int);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "linkat"));
  if (named(a) && take("FAULT_LINK", links)) return -1;
  return real(da, a, db, b, flags);
}

extern "C" int unlink(const char* a) {
  using fn = int (*)(const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "unlink"));
  if (named(a) && take("FAULT_UNLINK", unlinks)) return -1;
  return real(a);
}

extern "C" int unlinkat(int d, const char* a, int flags) {
  using fn = int (*)(int, const char*, int);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "unlinkat"));
  if (named(a) && take("FAULT_UNLINK", unlinks)) return -1;
  return real(d, a, flags);
}

extern "C" DIR* opendir(const char* a) {
  using fn = DIR* (*)(const char*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "opendir"));
  if (take("FAULT_OPENDIR", opendirs)) return nullptr;
  return real(a);
}

extern "C" DIR* fdopendir(int fd) {
  using fn = DIR* (*)(int);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "fdopendir"));
  if (take("FAULT_OPENDIR", opendirs)) return nullptr;
  return real(fd);
}

// readdir and readdir64 are the same function on 64-bit glibc; a program
// may call either name.
extern "C" struct dirent* readdir(DIR* d) {
  using fn = struct dirent* (*)(DIR*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "readdir"));
  if (take("FAULT_READDIR", readdirs)) return nullptr;
  return real(d);
}

extern "C" struct dirent64* readdir64(DIR* d) {
  using fn = struct dirent64* (*)(DIR*);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "readdir64"));
  if (take("FAULT_READDIR", readdirs)) return nullptr;
  return real(d);
}

extern "C" int open(const char* a, int flags, ...) {
  using fn = int (*)(const char*, int, ...);
  static fn real = reinterpret_cast<fn>(dlsym(RTLD_NEXT, "open"));
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = static_cast<mode_t>(va_arg(ap, unsigned));
    va_end(ap);
  }
  if (named(a) && take("FAULT_OPEN", opens)) return -1;
  return real(a, flags, mode);
}

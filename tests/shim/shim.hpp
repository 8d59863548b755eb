// What the LD_PRELOAD shims share: calling through to the definition a shim
// hides (libc's), and the $SHIM_FAIL / $SHIM_ERRNO convention.
#pragma once
#include <dlfcn.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace shim {

// The next definition of `name` after ours, as a pointer of type F.
template <class F> F next(const char* name) { return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name)); }

// The errno to fail with: $SHIM_ERRNO, else dflt.
inline int env_errno(int dflt = EIO) {
  const char* e = std::getenv("SHIM_ERRNO");
  return e ? std::atoi(e) : dflt;
}

// Whether $SHIM_FAIL names this call; if so errno is set to fail with.
inline bool failing(const char* name) {
  const char* f = std::getenv("SHIM_FAIL");
  if (!f || std::strcmp(f, name) != 0) return false;
  errno = env_errno();
  return true;
}

}  // namespace shim

// The real fn, with fn's own type: SHIM_REAL(read)(fd, buf, len).
#define SHIM_REAL(fn) (shim::next<decltype(&::fn)>(#fn))

// LD_PRELOAD shim for tests: with $SHIM_MALLOC_MIN set, every malloc,
// calloc, realloc and aligned allocation of at least that many bytes fails
// with ENOMEM, so a program's out-of-memory path can be run (issue 14 item
// 6). Smaller requests, and all of them without the variable, go to glibc.
#include <cerrno>
#include <cstddef>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {
bool refused(size_t n) {
  const char* m = std::getenv("SHIM_MALLOC_MIN");
  if (!m) return false;
  size_t min = std::strtoul(m, nullptr, 10);
  if (n < min) return false;
  errno = ENOMEM;
  return true;
}
}  // namespace

extern "C" {
void* malloc(size_t n) { return refused(n) ? nullptr : __libc_malloc(n); }
void* calloc(size_t k, size_t n) {
  if (n && k > static_cast<size_t>(-1) / n) return __libc_calloc(k, n);
  return refused(k * n) ? nullptr : __libc_calloc(k, n);
}
void* realloc(void* p, size_t n) { return refused(n) ? nullptr : __libc_realloc(p, n); }
void* memalign(size_t a, size_t n) { return refused(n) ? nullptr : __libc_memalign(a, n); }
void* aligned_alloc(size_t a, size_t n) { return refused(n) ? nullptr : __libc_memalign(a, n); }
int posix_memalign(void** out, size_t a, size_t n) {
  if (refused(n)) return ENOMEM;
  void* p = __libc_memalign(a, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
}

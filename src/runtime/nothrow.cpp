// Linked into every program (not into libdt, not into the tests): programs
// are built without exceptions, so the few places where the static C++
// runtime would throw (std::string growing past its limit, out of memory)
// end the program with a message instead. This keeps libstdc++'s exception
// and demangling machinery out of the binaries: a program is ~10 KB of code
// instead of ~100 KB, close to the C original, and a supervise stays small.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace {
[[noreturn]] void fatal(const char* what) {
  (void)!::write(2, what, std::strlen(what));
  std::abort();
}
}  // namespace

namespace std {
void __throw_length_error(const char*) { fatal("fatal: length error\n"); }
void __throw_logic_error(const char*) { fatal("fatal: logic error\n"); }
void __throw_out_of_range(const char*) { fatal("fatal: out of range\n"); }
void __throw_out_of_range_fmt(const char*, ...) { fatal("fatal: out of range\n"); }
void __throw_invalid_argument(const char*) { fatal("fatal: invalid argument\n"); }
void __throw_bad_alloc() { fatal("fatal: out of memory\n"); }
void __throw_bad_array_new_length() { fatal("fatal: out of memory\n"); }
void __throw_bad_function_call() { fatal("fatal: bad function call\n"); }
void __throw_system_error(int) { fatal("fatal: system error\n"); }
}  // namespace std

void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) fatal("fatal: out of memory\n");
  return p;
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

// Linked into every program (not into libdt, not into the tests): programs
// are built without exceptions, so the few places where the static C++
// runtime would throw (std::string growing past its limit, out of memory)
// end the program with a message instead. This keeps libstdc++'s exception
// and demangling machinery out of the binaries: a program is ~10 KB of code
// instead of ~100 KB, close to the C original, and a supervise stays small.
//
// Every one is "prog: fatal: WHAT" and exit 111, a temporary failure as
// 0.76 treats out of memory: no abort, no core dump. The message is written
// by dt::errmsg, which allocates nothing.
#include <cstdlib>
#include <new>

#include "dt/error.hpp"

namespace {
[[noreturn]] void fatal(const char* what) { dt::die(dt::exit_temp, what); }
}  // namespace

namespace std {
void __throw_length_error(const char*) { fatal("length error"); }
void __throw_logic_error(const char*) { fatal("logic error"); }
void __throw_out_of_range(const char*) { fatal("out of range"); }
void __throw_out_of_range_fmt(const char*, ...) { fatal("out of range"); }
void __throw_invalid_argument(const char*) { fatal("invalid argument"); }
void __throw_bad_alloc() { fatal("out of memory"); }
void __throw_bad_array_new_length() { fatal("out of memory"); }
void __throw_bad_function_call() { fatal("bad function call"); }
void __throw_system_error(int) { fatal("system error"); }
}  // namespace std

void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) fatal("out of memory");
  return p;
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

// LD_PRELOAD shim for tests: execve fails with errno $SHIM_ERRNO, so the
// error wording of a program can be compared with the reference's for every
// errno value.
#include <cerrno>
#include <cstdlib>

extern "C" int execve(const char*, char* const*, char* const*) {
  const char* e = std::getenv("SHIM_ERRNO");
  errno = e ? std::atoi(e) : 0;
  return -1;
}

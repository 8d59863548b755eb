// LD_PRELOAD shim for tests: execve fails with errno $SHIM_ERRNO, so the
// error wording of a program can be compared with the reference's for every
// errno value.
#include <unistd.h>

#include "shim.hpp"

extern "C" int execve(const char*, char* const*, char* const*) {
  errno = shim::env_errno(0);
  return -1;
}

// LD_PRELOAD shim for tests: readlink(2) fails with errno $SHIM_ERRNO when
// $SHIM_FAIL is "readlink", in our supervise and Debian's alike, so their
// "unable to readlink" messages can be compared.
#include <unistd.h>

#include "shim.hpp"

using shim::failing;

extern "C" {
ssize_t readlink(const char* path, char* buf, size_t len) {
  if (failing("readlink")) return -1;
  return SHIM_REAL(readlink)(path, buf, len);
}
}

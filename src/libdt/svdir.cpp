#include "dt/svdir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "dt/error.hpp"
#include "dt/fd.hpp"

namespace dt {

int open_cwd() { return open_retry(".", O_RDONLY | O_NONBLOCK); }

int sv_open_ok() { return open_retry(sv_ok, O_WRONLY | O_NONBLOCK); }

int sv_open_control() { return open_write(sv_control); }

const char* sv_error_str(int e) { return e == ENXIO ? "supervise not running" : error_str(e); }

ssize_t sv_read_status(char* buf, std::size_t n) {
  Fd fd(open_retry(sv_status, O_RDONLY | O_NONBLOCK));
  if (!fd) return sv_open_failed;
  return read_retry(fd.get(), buf, n);
}

std::uint64_t sv_seconds(Tai now, Tai when) {
  if (when.x > now.x) return 0;
  return static_cast<std::uint64_t>(static_cast<double>(now.x - when.x));
}

}  // namespace dt

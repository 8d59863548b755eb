#include "dt/svstatus.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "dt/fd.hpp"

namespace dt {

StatusStep status_write(const Status& st) {
  char rec[status_size];
  status_pack(rec, st);
  int fd;
  do fd = ::open(sv_status_new, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0644);
  while (fd == -1 && errno == EINTR);
  if (fd == -1) return StatusStep::open;
  Fd f(fd);
  if (!write_all(fd, rec, sizeof rec)) return StatusStep::write;
  f.reset();
  if (::rename(sv_status_new, sv_status) == -1) return StatusStep::rename;
  return StatusStep::done;
}

}  // namespace dt

#include "dt/svstatus.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "dt/fd.hpp"

namespace dt {

StatusStep status_write(const Status& st) {
  char rec[status_ext_size];
  std::size_t len = status_pack(rec, st);
  Fd f(open_retry(sv_status_new, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0644));
  if (!f) return StatusStep::open;
  if (!write_all(f.get(), rec, len)) return StatusStep::write;
  f.reset();
  if (::rename(sv_status_new, sv_status) == -1) return StatusStep::rename;
  return StatusStep::done;
}

}  // namespace dt

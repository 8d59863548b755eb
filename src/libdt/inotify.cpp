#include "dt/inotify.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dt/fd.hpp"

#if defined(__linux__)
#include <sys/inotify.h>
#define DT_HAVE_INOTIFY 1
#endif

namespace dt {

#ifdef DT_HAVE_INOTIFY

int inotify_open() { return ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

bool InotifyBuffer::read(int fd) {
  clear();
  if (fd == -1) return true;
  ssize_t r = read_retry(fd, buf_, sizeof buf_);
  if (r == -1) return errno == EAGAIN;
  len_ = static_cast<std::size_t>(r);
  return true;
}

bool InotifyBuffer::next(InotifyEvent& out) {
  if (pos_ + sizeof(inotify_event) > len_) return false;
  inotify_event e;
  std::memcpy(&e, buf_ + pos_, sizeof e);
  const char* n = buf_ + pos_ + sizeof e;
  pos_ += sizeof e + e.len;
  out.wd = e.wd;
  out.mask = e.mask;
  out.name = std::string_view(n, e.len ? ::strnlen(n, e.len) : 0);
  return true;
}

#else

int inotify_open() { return errno = ENOSYS, -1; }
bool InotifyBuffer::read(int) { return clear(), true; }
bool InotifyBuffer::next(InotifyEvent&) { return false; }

#endif

}  // namespace dt

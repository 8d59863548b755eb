#include "dt/dirwatch.hpp"

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

bool DirWatch::open(const char* dir) {
  close();
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd == -1) return false;
  Fd f(fd);
  // Removals are left to the caller's rescan, so they are not asked for.
  if (::inotify_add_watch(fd, dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) == -1) return false;
  fd_ = std::move(f);
  return true;
}

bool DirWatch::read() {
  len_ = pos_ = 0;
  if (!fd_) return true;
  ssize_t r = read_retry(fd_.get(), buf_, sizeof buf_);
  if (r == -1) return errno == EAGAIN;
  len_ = static_cast<std::size_t>(r);
  return true;
}

bool DirWatch::next(DirEvent& ev, std::string_view& name) {
  while (pos_ + sizeof(inotify_event) <= len_) {
    inotify_event e;
    std::memcpy(&e, buf_ + pos_, sizeof e);
    const char* n = buf_ + pos_ + sizeof e;
    pos_ += sizeof e + e.len;
    name = std::string_view(n, e.len ? ::strnlen(n, e.len) : 0);
    if (e.mask & IN_Q_OVERFLOW) {
      ev = DirEvent::overflow;
      name = {};
      return true;
    }
    if (e.mask & IN_IGNORED) {
      ev = DirEvent::lost;
      name = {};
      return true;
    }
    if (e.mask & IN_MOVED_TO) {
      ev = DirEvent::appeared;
      return true;
    }
    if (e.mask & IN_CREATE) {
      ev = (e.mask & IN_ISDIR) ? DirEvent::created_dir : DirEvent::appeared;
      return true;
    }
  }
  return false;
}

#else

bool DirWatch::open(const char*) {
  errno = ENOSYS;
  return false;
}
bool DirWatch::read() { return true; }
bool DirWatch::next(DirEvent&, std::string_view&) { return false; }

#endif

void DirWatch::close() {
  fd_.reset();
  len_ = pos_ = 0;
}

}  // namespace dt

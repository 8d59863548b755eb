#include "dt/dirwatch.hpp"

#include <unistd.h>

#include <cerrno>

#include "dt/fd.hpp"

#if defined(__linux__)
#include <sys/inotify.h>
#define DT_HAVE_INOTIFY 1
#endif

namespace dt {

#ifdef DT_HAVE_INOTIFY

bool DirWatch::open(const char* dir) {
  close();
  int fd = inotify_open();
  if (fd == -1) return false;
  Fd f(fd);
  // Removals are left to the caller's rescan, so they are not asked for.
  if (::inotify_add_watch(fd, dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) == -1) return false;
  fd_ = std::move(f);
  return true;
}

bool DirWatch::next(DirEvent& ev, std::string_view& name) {
  InotifyEvent e;
  while (events_.next(e)) {
    name = e.name;
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
bool DirWatch::next(DirEvent&, std::string_view&) { return false; }

#endif

bool DirWatch::read() { return events_.read(fd_.get()); }

void DirWatch::close() {
  fd_.reset();
  events_.clear();
}

}  // namespace dt

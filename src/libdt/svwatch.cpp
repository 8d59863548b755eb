#include "dt/svwatch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#if defined(__linux__)
#include <sys/inotify.h>
#define DT_HAVE_INOTIFY 1
#endif

namespace dt {

#ifdef DT_HAVE_INOTIFY

namespace {

// supervise/ changes that matter. IN_CLOSE_NOWRITE is needed for the pipes
// a supervisor holds open for reading, which close when it exits; it also
// reports every reader of status, which matters() drops.
constexpr std::uint32_t sup_mask = IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                   IN_CLOSE_NOWRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr std::uint32_t dir_mask = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool matters(std::uint32_t m, std::string_view name) {
  if (name.empty()) return m & (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
  if (name == "status" || name == "stat")  // written, not read
    return m & (IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE);
  // A supervisor reads ok and control; readers of its state only ever open
  // them for writing, so a close of a read end is the supervisor going.
  if (name == "ok" || name == "control") return m & (IN_CLOSE_NOWRITE | IN_DELETE);
  if (name == "lock") return m & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_DELETE);
  if (name == "supervise") return m & (IN_CREATE | IN_MOVED_TO);
  return false;
}

}  // namespace

bool SvWatch::open() {
  int fd = inotify_open();
  if (fd == -1) return false;
  fd_.reset(fd);
  return true;
}

int SvWatch::add_dir(const char* dir) {
  if (!fd_) return errno = EBADF, -1;
  return ::inotify_add_watch(fd_.get(), dir, dir_mask);
}

int SvWatch::add_supervise(const char* dir) {
  if (!fd_) return errno = EBADF, -1;
  return ::inotify_add_watch(fd_.get(), dir, sup_mask);
}

bool SvWatch::next(int& wd, SvEvent& ev) {
  InotifyEvent e;
  while (events_.next(e)) {
    wd = e.wd;
    if (e.mask & IN_Q_OVERFLOW) {
      wd = -1;
      ev = SvEvent::overflow;
      return true;
    }
    if (e.mask & IN_IGNORED) {
      ev = SvEvent::lost;
      return true;
    }
    if (matters(e.mask, e.name)) {
      ev = SvEvent::look;
      return true;
    }
  }
  return false;
}

void SvWatch::release_in_background() {
  if (!fd_) return;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) == -1) return;
  // the write end above the inotify descriptor: closed after it at exit
  int w = ::fcntl(p[1], F_DUPFD_CLOEXEC, fd_.get() + 1);
  ::close(p[1]);
  if (w == -1) return void(::close(p[0]));
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(0), ::close(1), ::close(2), ::close(w);
    char c;
    while (::read(p[0], &c, 1) == -1 && errno == EINTR) {
    }
    _exit(0);
  }
  ::close(p[0]);
  if (pid == -1) ::close(w);
}

#else

void SvWatch::release_in_background() {}

bool SvWatch::open() { return errno = ENOSYS, false; }
int SvWatch::add_dir(const char*) { return errno = ENOSYS, -1; }
int SvWatch::add_supervise(const char*) { return errno = ENOSYS, -1; }
bool SvWatch::next(int&, SvEvent&) { return false; }

#endif

bool SvWatch::read() { return events_.read(fd_.get()); }

}  // namespace dt

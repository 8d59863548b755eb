// What DirWatch (svscan) and SvWatch (svwait) share: reading an inotify
// descriptor into a buffer and taking the events out of it one at a time.
// Linux only; elsewhere inotify_open fails with ENOSYS and nothing is read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dt {

struct InotifyEvent {
  int wd = -1;
  std::uint32_t mask = 0;
  std::string_view name;  // empty for the watched directory itself
};

// A non-blocking, close-on-exec inotify descriptor, or -1 and errno.
int inotify_open();

class InotifyBuffer {
 public:
  // Read what is pending on fd (-1: nothing). False on error; EAGAIN is not
  // one (nothing was pending).
  bool read(int fd);
  // The next event read; false when none is left. The name stays valid until
  // the next read().
  bool next(InotifyEvent& e);
  void clear() { len_ = pos_ = 0; }

 private:
  alignas(8) char buf_[16384];
  std::size_t len_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace dt

// Being told at once when entries appear in a directory (svscan's instant
// pick-up of new services). Linux: inotify. Elsewhere open() fails with
// ENOSYS and the caller relies on its periodic rescan alone.
#pragma once
#include <cstddef>
#include <string_view>

#include "dt/fd.hpp"
#include "dt/inotify.hpp"

namespace dt {

enum class DirEvent {
  appeared,     // renamed in, or a non-directory (symlink, file) created
  created_dir,  // a directory made in place (mkdir): it may still be filling
  overflow,     // events were lost: rescan the whole directory
  lost,         // the watch is gone (directory removed): nothing more comes
};

class DirWatch {
 public:
  // Watch dir; false (errno set) when watching is not possible.
  bool open(const char* dir);
  void close();
  // Descriptor to poll for input, -1 when not watching. Close-on-exec,
  // non-blocking.
  int fd() const { return fd_.get(); }
  // Read what is pending. Returns false on error (EAGAIN is not an error:
  // nothing was pending).
  bool read();
  // The next event read; false when none is left. name is empty for
  // overflow and lost, and stays valid until the next read().
  bool next(DirEvent& ev, std::string_view& name);

 private:
  Fd fd_;
  InotifyBuffer events_;
};

}  // namespace dt

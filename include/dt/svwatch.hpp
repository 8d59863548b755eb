// Being told when a service's state may have changed (svwait): inotify on
// the service directory, for supervise/ appearing, and on its supervise/,
// for the status record being replaced or rewritten and for a supervisor
// letting go of its pipes (it exited). Events a reader causes (our own
// opens of ok and reads of status, svstat's, svok's) are filtered out here,
// so watching never wakes a waiter for nothing it did itself. Without
// inotify, open() fails and the caller polls.
#pragma once
#include <cstddef>

#include "dt/fd.hpp"
#include "dt/inotify.hpp"

namespace dt {

enum class SvEvent {
  look,      // something changed under this watch: read the state again
  lost,      // the watch is gone (directory removed or moved): add it again
  overflow,  // events were lost: look at every service
};

class SvWatch {
 public:
  // False (errno set) when watching is not possible here.
  bool open();
  // Descriptor to poll for input, -1 when not watching.
  int fd() const { return fd_.get(); }
  // Watch a service directory, or its supervise/ (a symlink is followed);
  // the watch descriptor, or -1 and errno.
  int add_dir(const char* dir);
  int add_supervise(const char* dir);
  // Read what is pending; false on error (EAGAIN is none pending).
  bool read();
  // The next event that matters; false when none is left. wd is -1 for
  // overflow.
  bool next(int& wd, SvEvent& ev);
  // Before the caller exits: Linux frees an inotify descriptor that has
  // watches only after an RCU grace period (8 to 25 ms measured here, more
  // under load), and a process is not seen to exit before its descriptors
  // are closed. So a child keeps a reference and lets go only once the
  // caller has gone (its end of a pipe closes after the inotify descriptor,
  // descriptors being closed in ascending order at exit): the caller exits
  // at once, the child pays. The child closes 0, 1 and 2 first, so nobody
  // waiting for the caller's output waits for it. Call it last.
  void release_in_background();

 private:
  Fd fd_;
  InotifyBuffer events_;
};

}  // namespace dt

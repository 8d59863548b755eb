// LD_PRELOAD shim for the svwait tests and bench: no inotify here
// (inotify_init and inotify_init1 fail with ENOSYS), so svwait falls back
// to polling, as it does on a system without inotify.
#include <cerrno>

extern "C" {
int inotify_init() {
  errno = ENOSYS;
  return -1;
}
int inotify_init1(int) {
  errno = ENOSYS;
  return -1;
}
}

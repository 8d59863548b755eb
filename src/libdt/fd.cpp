#include "dt/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "dt/buffer.hpp"

namespace dt {

void Fd::reset(int fd) {
  if (fd_ >= 0) {
    int saved = errno;
    ::close(fd_);  // never retried: on Linux the descriptor is gone either way
    errno = saved;
  }
  fd_ = fd;
}

int open_retry(const char* path, int flags, mode_t mode) {
  for (;;) {
    int fd = ::open(path, flags, mode);
    if (fd >= 0 || errno != EINTR) return fd;
  }
}

int open_at(int dirfd, const char* name, int flags, mode_t mode) {
  for (;;) {
    int fd = ::openat(dirfd, name, flags | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EINTR) return fd;
  }
}

int open_read(const char* path) {
  int fd = open_retry(path, O_RDONLY | O_NONBLOCK);
  if (fd >= 0) ndelay_off(fd);
  return fd;
}
int open_write(const char* path) {
  int fd = open_retry(path, O_WRONLY | O_NONBLOCK);
  if (fd >= 0) ndelay_off(fd);
  return fd;
}
int open_trunc(const char* path) { return open_retry(path, O_WRONLY | O_CREAT | O_TRUNC, 0644); }
// O_NONBLOCK kept set, as the reference's (seen in /proc/PID/fdinfo of its
// setlock child and multilog): on a FIFO with no reader, ENXIO at once.
int open_append(const char* path) { return open_retry(path, O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT, 0600); }

int fd_copy(int to, int from) {
  if (to == from) return 0;
  for (;;) {
    if (::dup2(from, to) >= 0) return 0;
    if (errno != EINTR && errno != EBUSY) return -1;
  }
}
int fd_move(int to, int from) {
  if (to == from) return 0;
  if (fd_copy(to, from) == -1) return -1;
  ::close(from);
  return 0;
}

int coe(int fd) { return ::fcntl(fd, F_SETFD, FD_CLOEXEC); }
int ndelay_on(int fd) {
  int f = ::fcntl(fd, F_GETFL);
  if (f == -1) return -1;
  return ::fcntl(fd, F_SETFL, f | O_NONBLOCK);
}
int ndelay_off(int fd) {
  int f = ::fcntl(fd, F_GETFL);
  if (f == -1) return -1;
  return ::fcntl(fd, F_SETFL, f & ~O_NONBLOCK);
}

ssize_t read_retry(int fd, void* buf, std::size_t len) {
  for (;;) {
    ssize_t r = ::read(fd, buf, len);
    if (r >= 0 || errno != EINTR) return r;
  }
}
ssize_t write_retry(int fd, const void* buf, std::size_t len) {
  for (;;) {
    ssize_t r = ::write(fd, buf, len);
    if (r >= 0 || errno != EINTR) return r;
  }
}
bool write_all(int fd, const void* buf, std::size_t len) {
  return write_fully(sys_write, fd, static_cast<const char*>(buf), len) == len;
}

}  // namespace dt

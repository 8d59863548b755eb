// File descriptors: RAII ownership, opening in the usual modes, moving and
// copying, and read/write that retry on EINTR and finish short writes.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <utility>

namespace dt {

// Owns one descriptor; closes it when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  explicit operator bool() const { return ok(); }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// open(2) retrying EINTR; -1 and errno on failure.
int open_retry(const char* path, int flags, mode_t mode = 0);
// openat(2) of name in directory dirfd, close-on-exec always added,
// retrying EINTR; -1 and errno on failure.
int open_at(int dirfd, const char* name, int flags, mode_t mode = 0);

// open(2) in the modes daemontools uses; -1 and errno on failure.
int open_read(const char* path);     // O_RDONLY|O_NONBLOCK, then blocking again
int open_write(const char* path);    // O_WRONLY|O_NONBLOCK, then blocking again
int open_trunc(const char* path);    // O_WRONLY|O_CREAT|O_TRUNC, 0644
int open_append(const char* path);   // O_WRONLY|O_NONBLOCK|O_APPEND|O_CREAT, 0600

// Make descriptor `to` refer to what `from` does; fd_move also closes `from`.
int fd_copy(int to, int from);
int fd_move(int to, int from);

int coe(int fd);          // close-on-exec
int ndelay_on(int fd);    // O_NONBLOCK
int ndelay_off(int fd);

// read(2)/write(2) retrying EINTR.
ssize_t read_retry(int fd, void* buf, std::size_t len);
ssize_t write_retry(int fd, const void* buf, std::size_t len);
// Write everything, retrying EINTR and short writes; false and errno on error.
bool write_all(int fd, const void* buf, std::size_t len);

}  // namespace dt

#include "dt/buffer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dt/fmt.hpp"

namespace dt {

ssize_t sys_write(int fd, const void* buf, std::size_t len) { return ::write(fd, buf, len); }

std::size_t write_fully(write_op op, int fd, const char* p, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t w = op(fd, p + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      break;
    }
    done += static_cast<std::size_t>(w);
  }
  return done;
}

bool Writer::flush() {
  std::size_t done = write_fully(op_, fd_, buf_, len_);
  if (done == len_) {
    len_ = 0;
    return true;
  }
  int e = errno;
  std::memmove(buf_, buf_ + done, len_ - done);
  len_ -= done;
  errno = e;
  return false;
}

bool Writer::put(std::string_view s) {
  taken_ = 0;
  if (s.size() <= cap_ - len_) {
    std::memcpy(buf_ + len_, s.data(), s.size());
    len_ += s.size();
    taken_ = s.size();
    return true;
  }
  if (!flush()) return false;
  if (s.size() <= cap_) {
    std::memcpy(buf_, s.data(), s.size());
    len_ = s.size();
    taken_ = s.size();
    return true;
  }
  // Larger than the buffer: straight from s. What a failed write leaves
  // unwritten is kept in the buffer when it fits (a flush retries it, and
  // all of s counts as taken); otherwise taken() says where to go on from.
  taken_ = write_fully(op_, fd_, s.data(), s.size());
  if (taken_ == s.size()) return true;
  std::size_t rest = s.size() - taken_;
  if (rest <= cap_) {
    std::memcpy(buf_, s.data() + taken_, rest);
    len_ = rest;
    taken_ = s.size();
  }
  return false;
}

bool Writer::put_ulong(unsigned long u) {
  char tmp[fmt_ulong_max];
  return put(std::string_view(tmp, fmt_ulong(tmp, u)));
}

}  // namespace dt

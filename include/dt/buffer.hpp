// Buffered output on raw descriptors: the project's stdio. Fixed capacity,
// the storage supplied by the caller (or held inline by BufferedWriter<N>),
// nothing allocated. EINTR and short writes are handled here, once.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace dt {

using write_op = ssize_t (*)(int, const void*, std::size_t);

// The default operation: write(2). Tests and fault injection may
// substitute their own (for example a write that fails with ENOSPC).
ssize_t sys_write(int fd, const void* buf, std::size_t len);

// The one write loop of libdt (Writer, write_all): write p[0..n) with op,
// going on after short writes and EINTR; returns how many bytes were
// written, n unless a write failed (errno says why).
std::size_t write_fully(write_op op, int fd, const char* p, std::size_t n);

class Writer {
 public:
  Writer(int fd, char* buf, std::size_t cap, write_op op = sys_write)
      : fd_(fd), buf_(buf), cap_(cap), op_(op) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // put and flush return false (errno set) when a write failed. Nothing is
  // ever lost or written twice by retrying as follows:
  // - flush: what could not be written stays buffered; flush again.
  // - put(s) with s no longer than capacity(): on false nothing of s was
  //   taken (the buffer keeps its own unwritten data); put(s) again.
  // - put(s) with s longer than capacity() is written straight from s; on
  //   false, the first taken() bytes of s were written or buffered: flush,
  //   then put the rest, s.substr(taken()).
  // taken() is s.size() after a put that returned true.
  bool put(std::string_view s);
  bool put(char c) { return put(std::string_view(&c, 1)); }
  bool put_ulong(unsigned long u);
  bool flush();
  std::size_t taken() const { return taken_; }

  int fd() const { return fd_; }
  void set_fd(int fd) { fd_ = fd; }
  std::size_t pending() const { return len_; }
  std::size_t capacity() const { return cap_; }
  void discard() { len_ = 0; }

 private:
  int fd_;
  char* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
  std::size_t taken_ = 0;
  write_op op_;
};

// Storage held inline, for buffers with a size fixed at compile time.
template <std::size_t N>
struct BufferStorage {
  char storage[N];
};
template <std::size_t N>
class BufferedWriter : private BufferStorage<N>, public Writer {
 public:
  explicit BufferedWriter(int fd, write_op op = sys_write) : Writer(fd, this->storage, N, op) {}
};

}  // namespace dt

// Buffered I/O on raw descriptors: the project's stdio. Fixed capacity, the
// storage supplied by the caller (or held inline by Buffered<N>), nothing
// allocated. EINTR and short writes are handled here, once.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace dt {

using read_op = ssize_t (*)(int, void*, std::size_t);
using write_op = ssize_t (*)(int, const void*, std::size_t);

// The default operations: read(2)/write(2). Tests and fault injection may
// substitute their own (for example a write that fails with ENOSPC).
ssize_t sys_read(int fd, void* buf, std::size_t len);
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
  bool putflush(std::string_view s) { return put(s) && flush(); }
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

class Reader {
 public:
  Reader(int fd, char* buf, std::size_t cap, read_op op = sys_read)
      : fd_(fd), buf_(buf), cap_(cap), op_(op) {}
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Read more input into the buffer (moving unread data to the front first).
  // Returns bytes added, 0 at end of input (or when the buffer is full of
  // unread data), -1 and errno on error. EINTR is retried.
  ssize_t fill();
  // Unread buffered data, and consuming some of it.
  std::string_view peek() const { return {buf_ + pos_, len_ - pos_}; }
  void consume(std::size_t n) { pos_ += n; }
  bool full() const { return pos_ == 0 && len_ == cap_; }
  // Copy up to n bytes into out; 0 at end of input, -1 on error.
  ssize_t get(char* out, std::size_t n);
  // Append input to line up to and including sep. Returns 1 when sep was
  // found, 0 at end of input (line holds any partial last line), -1 on error.
  int getline(std::string& line, char sep = '\n');
  int fd() const { return fd_; }

 private:
  int fd_;
  char* buf_;
  std::size_t cap_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  read_op op_;
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
template <std::size_t N>
class BufferedReader : private BufferStorage<N>, public Reader {
 public:
  explicit BufferedReader(int fd, read_op op = sys_read) : Reader(fd, this->storage, N, op) {}
};

}  // namespace dt

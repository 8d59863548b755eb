#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <unistd.h>

#include "dt/buffer.hpp"

namespace {
std::string sink;
int calls = 0;
int fail_after = -1;  // fail with ENOSPC on this call number
int eintr_every = 0;

ssize_t short_write(int, const void* buf, std::size_t len) {
  ++calls;
  if (fail_after >= 0 && calls == fail_after) {
    errno = ENOSPC;
    return -1;
  }
  if (eintr_every && calls % eintr_every == 0) {
    errno = EINTR;
    return -1;
  }
  std::size_t n = len > 3 ? 3 : len;  // always a short write
  sink.append(static_cast<const char*>(buf), n);
  return static_cast<ssize_t>(n);
}

std::string source;
std::size_t source_pos = 0;
ssize_t trickle_read(int, void* buf, std::size_t len) {
  ++calls;
  if (eintr_every && calls % eintr_every == 0) {
    errno = EINTR;
    return -1;
  }
  std::size_t n = std::min<std::size_t>({len, 2, source.size() - source_pos});
  source.copy(static_cast<char*>(buf), n, source_pos);
  source_pos += n;
  return static_cast<ssize_t>(n);
}
void reset() {
  sink.clear();
  calls = 0;
  fail_after = -1;
  eintr_every = 0;
  source_pos = 0;
}
}  // namespace

TEST_CASE("Writer survives short writes and EINTR") {
  reset();
  eintr_every = 4;
  dt::BufferedWriter<8> w(1, short_write);
  REQUIRE(w.put("hello, "));
  REQUIRE(w.put("world, this is longer than the buffer"));
  REQUIRE(w.put('!'));
  REQUIRE(w.put_ulong(4294967295UL));
  REQUIRE(w.flush());
  CHECK(sink == "hello, world, this is longer than the buffer!4294967295");
}

TEST_CASE("Writer keeps unwritten data after a failed write, and retries on flush") {
  reset();
  fail_after = 2;
  dt::BufferedWriter<16> w(1, short_write);
  REQUIRE(w.put("abcdefgh"));
  CHECK_FALSE(w.flush());
  CHECK(errno == ENOSPC);
  CHECK(w.pending() == 5);
  REQUIRE(w.flush());
  CHECK(sink == "abcdefgh");
}

TEST_CASE("Reader getline: EINTR, lines across refills, partial last line") {
  reset();
  eintr_every = 3;
  source = "one\ntwo\n\nlast without newline";
  dt::BufferedReader<4> r(0, trickle_read);
  std::string line;
  REQUIRE(r.getline(line) == 1);
  CHECK(line == "one\n");
  line.clear();
  REQUIRE(r.getline(line) == 1);
  CHECK(line == "two\n");
  line.clear();
  REQUIRE(r.getline(line) == 1);
  CHECK(line == "\n");
  line.clear();
  REQUIRE(r.getline(line) == 0);
  CHECK(line == "last without newline");
  line.clear();
  CHECK(r.getline(line) == 0);
  CHECK(line.empty());
}

TEST_CASE("Reader get and fill on a real pipe") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  REQUIRE(::write(p[1], "abc", 3) == 3);
  ::close(p[1]);
  dt::BufferedReader<16> r(p[0]);
  char c[8];
  CHECK(r.get(c, 2) == 2);
  CHECK(std::string(c, 2) == "ab");
  CHECK(r.get(c, 8) == 1);
  CHECK(c[0] == 'c');
  CHECK(r.get(c, 8) == 0);
  ::close(p[0]);
}

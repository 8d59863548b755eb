#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "dt/buffer.hpp"
#include "dt/fd.hpp"

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

void reset() {
  sink.clear();
  calls = 0;
  fail_after = -1;
  eintr_every = 0;
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

namespace {
// A write whose calls follow a script, one step per call: a number n is a
// short write of at most n bytes, 'i' fails with EINTR, 'f' with ENOSPC;
// past the end of the script every write is whole.
std::string script;
std::size_t step = 0;
std::string out;
ssize_t scripted_write(int, const void* buf, std::size_t len) {
  ++calls;
  if (step < script.size()) {
    char c = script[step++];
    if (c == 'i') return errno = EINTR, -1;
    if (c == 'f') return errno = ENOSPC, -1;
    len = std::min<std::size_t>(len, static_cast<std::size_t>(c - '0'));
  }
  out.append(static_cast<const char*>(buf), len);
  return static_cast<ssize_t>(len);
}
// Not inlined: g++ 12 warns falsely (-Wrestrict) on the inlined assignment.
[[gnu::noinline]] void run(const char* s) {
  script = s;
  step = 0;
  out.clear();
  calls = 0;
}
}  // namespace

TEST_CASE("write_fully: short writes and EINTR, and what a failure leaves") {
  run("1i2ii3");
  CHECK(dt::write_fully(scripted_write, 1, "abcdefghij", 10) == 10);
  CHECK(out == "abcdefghij");
  run("2i1f");
  errno = 0;
  CHECK(dt::write_fully(scripted_write, 1, "abcdefghij", 10) == 3);
  CHECK(errno == ENOSPC);
  CHECK(out == "abc");
  run("f");
  CHECK(dt::write_fully(scripted_write, 1, "abc", 3) == 0);
  CHECK(dt::write_fully(scripted_write, 1, "", 0) == 0);
}

TEST_CASE("Writer::flush: short writes, EINTR, and a failure keeps the rest") {
  dt::BufferedWriter<16> w(1, scripted_write);
  run("1i2f");
  REQUIRE(w.put("0123456789"));
  CHECK(out.empty());
  CHECK_FALSE(w.flush());
  CHECK(errno == ENOSPC);
  CHECK(out == "012");
  CHECK(w.pending() == 7);
  REQUIRE(w.put("ab"));  // still fits beside what is kept
  run("i3");
  REQUIRE(w.flush());
  CHECK(out == "3456789ab");
  CHECK(w.pending() == 0);
}

TEST_CASE("Writer::put that must flush first: a failure takes nothing of s") {
  dt::BufferedWriter<8> w(1, scripted_write);
  run("2f");
  REQUIRE(w.put("abcdef"));
  CHECK_FALSE(w.put("ghijkl"));  // needs room: flush writes "ab", then fails
  CHECK(w.taken() == 0);
  CHECK(w.pending() == 4);
  run("i1i");
  REQUIRE(w.put("ghijkl"));  // the retry the promise allows
  CHECK(w.taken() == 6);
  REQUIRE(w.flush());
  CHECK(out == "cdefghijkl");
}

TEST_CASE("Writer::put of exactly capacity goes through the buffer (multilog's case)") {
  dt::BufferedWriter<8> w(1, scripted_write);
  run("1");
  REQUIRE(w.put("x"));
  run("f");
  CHECK_FALSE(w.put("01234567"));
  CHECK(w.taken() == 0);
  CHECK(out.empty());
  run("");
  REQUIRE(w.put("01234567"));
  CHECK(out == "x");
  REQUIRE(w.flush());
  CHECK(out == "x01234567");
}

TEST_CASE("Writer::put larger than the buffer: short writes, EINTR, failures") {
  const std::string big = "abcdefghijklmnopqrstuvwxyz";  // 26 bytes, buffer 8
  SECTION("short writes and EINTR, written straight through") {
    dt::BufferedWriter<8> w(1, scripted_write);
    REQUIRE(w.put("12"));
    run("1i1ii5i3");
    REQUIRE(w.put(big));
    CHECK(w.taken() == big.size());
    CHECK(w.pending() == 0);
    CHECK(out.substr(0, 2) == "12");
    CHECK(out.substr(2) == big);
  }
  SECTION("a failure with the rest small enough: kept in the buffer") {
    dt::BufferedWriter<8> w(1, scripted_write);
    run("9i9f");  // 18 written, 8 left: fits
    CHECK_FALSE(w.put(big));
    CHECK(errno == ENOSPC);
    CHECK(w.taken() == big.size());
    CHECK(w.pending() == 8);
    REQUIRE(w.flush());
    CHECK(out == big);
  }
  SECTION("a failure with more left than fits: taken() says where to go on") {
    dt::BufferedWriter<8> w(1, scripted_write);
    run("5i4f");
    CHECK_FALSE(w.put(big));
    CHECK(w.taken() == 9);
    CHECK(w.pending() == 0);
    REQUIRE(w.flush());
    REQUIRE(w.put(std::string_view(big).substr(w.taken())));
    REQUIRE(w.flush());
    CHECK(out == big);  // nothing twice, nothing lost
  }
  SECTION("a failure of the flush before it: nothing of s taken") {
    dt::BufferedWriter<8> w(1, scripted_write);
    REQUIRE(w.put("1234"));
    run("2f");
    CHECK_FALSE(w.put(big));
    CHECK(w.taken() == 0);
    CHECK(w.pending() == 2);
    CHECK(out == "12");
    run("");
    REQUIRE(w.put(big));
    CHECK(out.substr(0, 2) == "34");
    CHECK(out.substr(2) == big);
  }
  SECTION("a failure at once: nothing of s taken") {
    dt::BufferedWriter<8> w(1, scripted_write);
    run("f");
    CHECK_FALSE(w.put(big));
    CHECK(w.taken() == 0);
    run("");
    REQUIRE(w.put(big));
    CHECK(out == big);
  }
}

TEST_CASE("write_all on a real pipe, through the same loop") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  CHECK(dt::write_all(p[1], "hello", 5));
  char c[8];
  CHECK(::read(p[0], c, sizeof c) == 5);
  ::close(p[0]);
  ::signal(SIGPIPE, SIG_IGN);
  CHECK_FALSE(dt::write_all(p[1], "x", 1));
  CHECK(errno == EPIPE);
  ::signal(SIGPIPE, SIG_DFL);
  ::close(p[1]);
}

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <unistd.h>
#include <cstdlib>

#include "dt/error.hpp"

// The wording daemontools 0.76 prints (observed on the reference).
TEST_CASE("error_str uses daemontools' wording, not strerror") {
  CHECK(std::string(dt::error_str(ENOENT)) == "file does not exist");
  CHECK(std::string(dt::error_str(EACCES)) == "access denied");
  CHECK(std::string(dt::error_str(EPERM)) == "permission denied");
  CHECK(std::string(dt::error_str(EAGAIN)) == "temporary failure");
  CHECK(std::string(dt::error_str(ENXIO)) == "device not configured");
  CHECK(std::string(dt::error_str(ENOSPC)) == "out of disk space");
  CHECK(std::string(dt::error_str(ENOTDIR)) == "not a directory");
  CHECK(std::string(dt::error_str(0)) == "no error");
  CHECK(std::string(dt::error_str(44)) == "unknown error");
  CHECK(std::string(dt::error_str(-5)) == "unknown error");
  CHECK(std::string(dt::error_str(EDQUOT)) == "disk quota exceeded");
}

namespace {
// What errmsg writes to fd 2, captured in a temporary file.
template <class F> std::string stderr_of(F f) {
  char tmpl[] = "/tmp/dt-unit-err.XXXXXX";
  int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::unlink(tmpl);
  int saved = ::dup(2);
  REQUIRE(saved >= 0);
  REQUIRE(::dup2(fd, 2) == 2);
  f();
  REQUIRE(::dup2(saved, 2) == 2);
  ::close(saved);
  std::string out;
  char buf[65536];
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  for (ssize_t r; (r = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(r));
  ::close(fd);
  return out;
}
}  // namespace

TEST_CASE("errmsg writes messages of any length whole, and keeps errno") {
  const char* old = dt::progname;
  dt::progname = "prog";
  for (std::size_t len : {0, 1, 4000, 4096, 5000, 100000, 1000000}) {
    std::string name(len, 'n');
    errno = ENAMETOOLONG;
    std::string got = stderr_of([&] { dt::warn_sys("unable to open ", name); });
    CHECK(errno == ENAMETOOLONG);
    CHECK(got == "prog: warning: unable to open " + name + ": file name too long\n");
  }
  std::string many = stderr_of([] {
    dt::errmsg({"a", "", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
                "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C",
                "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W",
                "X", "Y", "Z", "-", "+", "*", "/"});
  });
  CHECK(many == "prog: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+*/\n");
  dt::progname = old;
}

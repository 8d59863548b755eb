#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "dt/svdir.hpp"
#include "tempdir.hpp"

static dt::Tai label(std::uint64_t x) { return dt::Tai{x}; }

TEST_CASE("sv_seconds: whole seconds, 0 in the future") {
  const std::uint64_t now = dt::tai_unix_offset + 1795318216;
  CHECK(dt::sv_seconds(label(now), label(now)) == 0);
  CHECK(dt::sv_seconds(label(now), label(now - 100)) == 100);
  CHECK(dt::sv_seconds(label(now), label(now + 1)) == 0);
  CHECK(dt::sv_seconds(label(now), label(~std::uint64_t{0})) == 0);
  CHECK(dt::sv_seconds(label(now), label(dt::tai_unix_offset - 10)) == 1795318226);
}

TEST_CASE("sv_seconds: rounded through a double above 2^53, as 0.76") {
  const std::uint64_t now = dt::tai_unix_offset + 1795318216;
  // now - 0 = 4611686020222706130, nearest double 4611686020222705664
  CHECK(dt::sv_seconds(label(now), label(0)) == 4611686020222705664ULL);
  CHECK(dt::sv_seconds(label(now), label(now - (std::uint64_t{1} << 60) - 1)) == (std::uint64_t{1} << 60));
  CHECK(dt::sv_seconds(label(now), label(now - (std::uint64_t{1} << 53) - 1)) == (std::uint64_t{1} << 53));
}

TEST_CASE("sv_error_str: ENXIO means no supervise") {
  CHECK(std::strcmp(dt::sv_error_str(ENXIO), "supervise not running") == 0);
  CHECK(std::strcmp(dt::sv_error_str(ENOENT), "file does not exist") == 0);
  CHECK(std::strcmp(dt::sv_error_str(EACCES), "access denied") == 0);
}

TEST_CASE("sv_open_ok: ENXIO without a reader, a descriptor with one") {
  dt_test::InServiceDir t;
  errno = 0;
  CHECK(dt::sv_open_ok() == -1);
  CHECK(errno == ENOENT);
  REQUIRE(::mkfifo(dt::sv_ok, 0600) == 0);
  errno = 0;
  CHECK(dt::sv_open_ok() == -1);
  CHECK(errno == ENXIO);
  int reader = ::open(dt::sv_ok, O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  int w = dt::sv_open_ok();
  CHECK(w >= 0);
  CHECK((::fcntl(w, F_GETFL) & O_NONBLOCK) != 0);  // left as opened
  ::close(w);
  ::close(reader);
}

TEST_CASE("sv_open_control: blocking again once open") {
  dt_test::InServiceDir t;
  REQUIRE(::mkfifo(dt::sv_control, 0600) == 0);
  errno = 0;
  CHECK(dt::sv_open_control() == -1);
  CHECK(errno == ENXIO);
  int reader = ::open(dt::sv_control, O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  int w = dt::sv_open_control();
  REQUIRE(w >= 0);
  CHECK((::fcntl(w, F_GETFL) & O_NONBLOCK) == 0);
  CHECK(::write(w, "dx", 2) == 2);
  char buf[4];
  CHECK(::read(reader, buf, sizeof buf) == 2);
  ::close(w);
  ::close(reader);
}

TEST_CASE("sv_read_status: one read, what it returned") {
  dt_test::InServiceDir t;
  char buf[18];
  errno = 0;
  CHECK(dt::sv_read_status(buf, sizeof buf) == dt::sv_open_failed);
  CHECK(errno == ENOENT);
  int fd = ::open(dt::sv_status, O_WRONLY | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  CHECK(::write(fd, "abcde", 5) == 5);
  CHECK(dt::sv_read_status(buf, sizeof buf) == 5);
  CHECK(std::memcmp(buf, "abcde", 5) == 0);
  CHECK(::write(fd, "0123456789abcdefXYZ", 19) == 19);
  ::close(fd);
  CHECK(dt::sv_read_status(buf, sizeof buf) == 18);
  CHECK(::unlink(dt::sv_status) == 0);
  REQUIRE(::mkdir(dt::sv_status, 0700) == 0);
  errno = 0;
  CHECK(dt::sv_read_status(buf, sizeof buf) == -1);
  CHECK(errno == EISDIR);
}

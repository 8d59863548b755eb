#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "dt/fd.hpp"
#include "dt/lock.hpp"

namespace {

struct LockFile {
  std::string path;
  LockFile() {
    char tmpl[] = "/tmp/dt-unit-lock.XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = tmpl;
  }
  ~LockFile() { ::unlink(path.c_str()); }
  int open() const { return dt::open_append(path.c_str()); }
};

double now() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

TEST_CASE("lock_exnb fails with EWOULDBLOCK while another open file holds lock_ex") {
  LockFile f;
  dt::Fd a(f.open()), b(f.open());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(dt::lock_ex(a.get()) == 0);
  CHECK(dt::lock_exnb(b.get()) == -1);
  CHECK(errno == EWOULDBLOCK);
  SECTION("released when the holder closes") {
    a.reset();
    CHECK(dt::lock_exnb(b.get()) == 0);
  }
  SECTION("a copy of the holder's descriptor shares the lock") {
    dt::Fd c(::dup(a.get()));
    CHECK(dt::lock_exnb(c.get()) == 0);
    a.reset();
    CHECK(dt::lock_exnb(b.get()) == -1);  // c still holds it
    c.reset();
    CHECK(dt::lock_exnb(b.get()) == 0);
  }
}

TEST_CASE("lock_exnb on a bad descriptor fails with EBADF") {
  CHECK(dt::lock_exnb(999) == -1);
  CHECK(errno == EBADF);
  CHECK(dt::lock_ex(-1) == -1);
  CHECK(errno == EBADF);
}

TEST_CASE("lock_ex waits until the holder lets go") {
  LockFile f;
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = f.open();
    if (fd < 0 || dt::lock_ex(fd) != 0) _exit(1);
    ssize_t w = ::write(ready[1], "x", 1);
    (void)w;
    ::usleep(300000);
    _exit(0);  // the lock goes with the process
  }
  ::close(ready[1]);
  char c;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  ::close(ready[0]);
  dt::Fd fd(f.open());
  REQUIRE(fd.ok());
  CHECK(dt::lock_exnb(fd.get()) == -1);
  double t0 = now();
  REQUIRE(dt::lock_ex(fd.get()) == 0);
  CHECK(now() - t0 > 0.1);
  int status;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WEXITSTATUS(status) == 0);
}

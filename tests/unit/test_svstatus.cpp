#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "dt/svstatus.hpp"
#include "tempdir.hpp"

namespace {

std::string slurp(const char* p) {
  std::string s;
  int fd = ::open(p, O_RDONLY);
  if (fd < 0) return s;
  char buf[64];
  ssize_t r;
  while ((r = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(r));
  ::close(fd);
  return s;
}

}  // namespace

TEST_CASE("status_write writes the record to status, mode 0644, no status.new left") {
  dt_test::InServiceDir d;
  ::umask(022);
  dt::Status st;
  st.when.sec.x = 0x400000006b02605cULL;
  st.when.nano = 631792500u;
  st.pid = 2263;
  st.want = 'd';
  st.paused = true;
  REQUIRE(dt::status_write(st) == dt::StatusStep::done);
  std::string got = slurp("supervise/status");
  REQUIRE(got.size() == dt::status_size);
  char want[dt::status_size];
  dt::status_pack(want, st);
  CHECK(std::memcmp(got.data(), want, dt::status_size) == 0);
  struct stat sb;
  REQUIRE(::stat("supervise/status", &sb) == 0);
  CHECK((sb.st_mode & 07777) == 0644);
  CHECK(::access("supervise/status.new", F_OK) == -1);
}

TEST_CASE("status_write replaces the old record by rename: a reader's open file keeps the old one") {
  dt_test::InServiceDir d;
  dt::Status a;
  a.pid = 1;
  REQUIRE(dt::status_write(a) == dt::StatusStep::done);
  int fd = ::open("supervise/status", O_RDONLY);
  REQUIRE(fd >= 0);
  dt::Status b;
  b.pid = 2;
  REQUIRE(dt::status_write(b) == dt::StatusStep::done);
  char buf[dt::status_size];
  REQUIRE(::read(fd, buf, sizeof buf) == static_cast<ssize_t>(dt::status_size));
  ::close(fd);
  CHECK(dt::status_unpack(buf).pid == 1u);
  CHECK(dt::status_unpack(slurp("supervise/status").data()).pid == 2u);
}

TEST_CASE("status_write reports the step that failed") {
  dt_test::InServiceDir d;
  dt::Status st;
  REQUIRE(::mkdir("supervise/status.new", 0700) == 0);
  CHECK(dt::status_write(st) == dt::StatusStep::open);
  CHECK(errno == EISDIR);
  REQUIRE(::rmdir("supervise/status.new") == 0);

  REQUIRE(::symlink("/dev/full", "supervise/status.new") == 0);
  CHECK(dt::status_write(st) == dt::StatusStep::write);
  CHECK(errno == ENOSPC);
  CHECK(::access("supervise/status", F_OK) == -1);
  REQUIRE(::unlink("supervise/status.new") == 0);

  REQUIRE(::mkdir("supervise/status", 0700) == 0);
  CHECK(dt::status_write(st) == dt::StatusStep::rename);
  CHECK(errno == EISDIR);
}

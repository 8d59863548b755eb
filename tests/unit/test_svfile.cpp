#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "dt/svfile.hpp"
#include "tempdir.hpp"

namespace {
void put(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);
}
}  // namespace

TEST_CASE("svfile_uint: all digits, bounded") {
  std::uint64_t v = 7;
  CHECK(dt::svfile_uint("0", 10, v));
  CHECK(v == 0);
  CHECK(dt::svfile_uint("4294967295", 4294967295u, v));
  CHECK(v == 4294967295u);
  CHECK_FALSE(dt::svfile_uint("4294967296", 4294967295u, v));
  CHECK_FALSE(dt::svfile_uint("99999999999999999999999", 4294967295u, v));
  CHECK_FALSE(dt::svfile_uint("", 10, v));
  CHECK_FALSE(dt::svfile_uint("-1", 10, v));
  CHECK_FALSE(dt::svfile_uint("+1", 10, v));
  CHECK_FALSE(dt::svfile_uint("1 ", 10, v));
  CHECK_FALSE(dt::svfile_uint("x", 10, v));
  CHECK_FALSE(dt::svfile_uint("9", 5, v));
  CHECK(dt::svfile_uint("5", 5, v));
  CHECK(v == 5);
}

TEST_CASE("svfile_signal: numbers and names as s6 takes them") {
  CHECK(dt::svfile_signal("HUP") == SIGHUP);
  CHECK(dt::svfile_signal("SIGHUP") == SIGHUP);
  CHECK(dt::svfile_signal("hup") == SIGHUP);
  CHECK(dt::svfile_signal("sigHup") == SIGHUP);
  CHECK(dt::svfile_signal("1") == SIGHUP);
  CHECK(dt::svfile_signal("USR1") == SIGUSR1);
  CHECK(dt::svfile_signal("winch") == SIGWINCH);
  CHECK(dt::svfile_signal("64") == 64);
  CHECK(dt::svfile_signal("65") == 0);
  CHECK(dt::svfile_signal("0") == 0);
  CHECK(dt::svfile_signal("") == 0);
  CHECK(dt::svfile_signal("SIG") == 0);
  CHECK(dt::svfile_signal("FOO") == 0);
  CHECK(dt::svfile_signal("-15") == 0);
  CHECK(dt::svfile_signal("TERM ") == 0);
}

TEST_CASE("svfile_read: up to the first newline; absent, error, invalid") {
  dt_test::TempDir d;
  std::uint64_t v = 0;
  int sig = 0;
  CHECK(dt::svfile_read_uint((d / "none").c_str(), 100, v) == dt::SvFile::absent);
  put(d / "n", "42\nrest");
  CHECK(dt::svfile_read_uint((d / "n").c_str(), 100, v) == dt::SvFile::ok);
  CHECK(v == 42);
  put(d / "n", "42");  // no newline: still 42, as s6 reads it
  CHECK(dt::svfile_read_uint((d / "n").c_str(), 100, v) == dt::SvFile::ok);
  put(d / "n", "");
  CHECK(dt::svfile_read_uint((d / "n").c_str(), 100, v) == dt::SvFile::invalid);
  put(d / "n", "\n");
  CHECK(dt::svfile_read_uint((d / "n").c_str(), 100, v) == dt::SvFile::invalid);
  put(d / "n", std::string(200, '1'));
  CHECK(dt::svfile_read_uint((d / "n").c_str(), 100, v) == dt::SvFile::invalid);
  put(d / "s", "SIGUSR2\n");
  CHECK(dt::svfile_read_signal((d / "s").c_str(), sig) == dt::SvFile::ok);
  CHECK(sig == SIGUSR2);
  put(d / "s", "BOGUS\n");
  CHECK(dt::svfile_read_signal((d / "s").c_str(), sig) == dt::SvFile::invalid);
  REQUIRE(::mkdir((d / "dir").c_str(), 0755) == 0);
  CHECK(dt::svfile_read_uint((d / "dir").c_str(), 100, v) == dt::SvFile::error);
  CHECK(errno == EISDIR);
}

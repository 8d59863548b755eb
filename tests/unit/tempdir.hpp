// Scratch directories for the unit tests.
#pragma once
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

namespace dt_test {

// A fresh directory, removed (with what is in it) at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/dt-unit.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::string cmd = "rm -rf '" + path + "'";
    int r = std::system(cmd.c_str());
    (void)r;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const char* name) const { return path + "/" + name; }
};

// A fresh service directory (holding supervise/) as the current directory
// for the test; the previous one again at the end.
struct InServiceDir : TempDir {
  int back = ::open(".", O_RDONLY);
  InServiceDir() {
    REQUIRE(::chdir(path.c_str()) == 0);
    REQUIRE(::mkdir("supervise", 0700) == 0);
  }
  ~InServiceDir() {
    int r = ::fchdir(back);
    (void)r;
    ::close(back);
  }
};

}  // namespace dt_test

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>

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

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>

#include "dt/svdir.hpp"

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

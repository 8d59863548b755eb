#include <catch2/catch.hpp>

#include "dt/clock.hpp"

TEST_CASE("poll_timeout rounds up and saturates") {
  CHECK(dt::poll_timeout(dt::mono_never, 0) == -1);
  CHECK(dt::poll_timeout(100, 100) == 0);
  CHECK(dt::poll_timeout(99, 100) == 0);
  CHECK(dt::poll_timeout(101, 100) == 1);
  CHECK(dt::poll_timeout(100 + dt::mono_ms, 100) == 1);
  CHECK(dt::poll_timeout(100 + dt::mono_ms + 1, 100) == 2);
  CHECK(dt::poll_timeout(60 * dt::mono_s, 0) == 60000);
  CHECK(dt::poll_timeout(dt::mono_never - 1, 0) == INT32_MAX);
}

TEST_CASE("mono_now is 64-bit and moves forward") {
  static_assert(sizeof(dt::mono_t) == 8);
  dt::mono_t a = dt::mono_now();
  dt::sleep_until(a + 20 * dt::mono_ms);
  dt::mono_t b = dt::mono_now();
  CHECK(b - a >= 20 * dt::mono_ms);
  CHECK(dt::mono_min(a, b) == a);
}

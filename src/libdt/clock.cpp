#include "dt/clock.hpp"

#include <poll.h>
#include <time.h>

#include <cstdint>

namespace dt {

mono_t mono_now() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<mono_t>(ts.tv_sec) * mono_s + static_cast<mono_t>(ts.tv_nsec);
}

int poll_timeout(mono_t deadline, mono_t now) {
  if (deadline == mono_never) return -1;
  if (deadline <= now) return 0;
  mono_t ms = (deadline - now - 1) / mono_ms + 1;  // rounded up, no overflow near mono_never
  return ms > INT32_MAX ? INT32_MAX : static_cast<int>(ms);
}

void sleep_until(mono_t deadline) {
  for (;;) {
    int ms = poll_timeout(deadline, mono_now());
    if (ms == 0) return;
    ::poll(nullptr, 0, ms);
  }
}

}  // namespace dt

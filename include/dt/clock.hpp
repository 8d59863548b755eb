// Monotonic time as 64-bit nanoseconds on every ABI (a 32-bit long would
// overflow after about 2 s of nanoseconds), and deadlines on it: every wait
// in the daemons is "until a deadline", never a sleep of a length.
#pragma once
#include <cstdint>

namespace dt {

using mono_t = std::int64_t;  // nanoseconds of CLOCK_MONOTONIC

inline constexpr mono_t mono_ms = 1000000;
inline constexpr mono_t mono_s = 1000000000;
inline constexpr mono_t mono_never = INT64_MAX;  // a deadline that never comes

mono_t mono_now();

// Milliseconds from now to deadline for poll(2): rounded up, so a wake-up is
// never early; 0 once it has passed; -1 (wait for ever) for mono_never; at
// most INT32_MAX.
int poll_timeout(mono_t deadline, mono_t now);

// The earlier of two deadlines.
constexpr mono_t mono_min(mono_t a, mono_t b) { return a < b ? a : b; }

// Block until the deadline has passed, handling nothing (poll with no
// descriptors, retried after EINTR).
void sleep_until(mono_t deadline);

}  // namespace dt

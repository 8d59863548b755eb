// The 18-byte supervise/status record, byte-compatible with daemontools 0.76:
//   0..11  TAI64N of the last change (big-endian label + nanoseconds)
//   12..15 pid of the service, little-endian (a quirk of the original, kept)
//   16     1 when paused (svc -p), else 0
//   17     'u' want up, 'd' want down, 0 after svc -o (run once)
#pragma once
#include <cstddef>
#include <cstdint>

#include "dt/tai.hpp"

namespace dt {

inline constexpr std::size_t status_size = 18;

struct Status {
  Taia when;
  std::uint32_t pid = 0;
  bool paused = false;
  char want = 'u';
};

void status_pack(char* s, const Status& st);
Status status_unpack(const char* s);

}  // namespace dt

// The supervise/status record, byte-compatible with daemontools 0.76:
//   0..11  TAI64N of the last change (big-endian label + nanoseconds)
//   12..15 pid of the service, little-endian (a quirk of the original, kept)
//   16     1 when paused (svc -p), else 0
//   17     'u' want up, 'd' want down, 0 after svc -o (run once)
// Beyond 0.76, only in extended mode (a service directory holding one of
// notification-fd, finish, timeout-kill, timeout-finish, down-signal), two
// more bytes, so the record is 20 bytes (0.76's svstat reads only 18):
//   18     daemontools-encore's state (SvState below)
//   19     0x80 (our marker: encore writes 0 here, runit 0..2) | flags
#pragma once
#include <cstddef>
#include <cstdint>

#include "dt/tai.hpp"

namespace dt {

inline constexpr std::size_t status_size = 18;
inline constexpr std::size_t status_ext_size = 20;

// encore's svstatus.h values.
enum class SvState : std::uint8_t { stopped = 0, starting = 1, started = 2, running = 3, stopping = 4, failed = 5 };

inline constexpr std::uint8_t status_marker = 0x80;
inline constexpr std::uint8_t status_flag_ready_active = 0x01;  // notification-fd for this run
inline constexpr std::uint8_t status_flag_finishing = 0x02;     // ./finish running

struct Status {
  Taia when;
  std::uint32_t pid = 0;
  bool paused = false;
  char want = 'u';
  bool extended = false;  // write 20 bytes, with state and flags
  SvState state = SvState::stopped;
  std::uint8_t flags = 0;  // without the marker
};

// Writes status_size bytes, or status_ext_size when st.extended; returns
// how many.
std::size_t status_pack(char* s, const Status& st);
// Reads the 18 bytes of 0.76 (extended = false).
Status status_unpack(const char* s);
// Reads a record of len bytes: extended (with state and flags) only when
// len >= 20 and byte 19 carries the marker. len must be >= 18.
Status status_unpack(const char* s, std::size_t len);

}  // namespace dt

// What a service's supervise/status says, whichever supervisor wrote it: a
// mixed fleet may hold any of these (see docs/COMPATIBILITY.md):
//   daemontools 0.76  18 bytes (dt/status.hpp); any longer record nobody
//                     else claims is read as its first 18 bytes, as 0.76's
//                     svstat reads it
//   ours, extended    20 bytes, byte 19 carries 0x80 (dt/status.hpp)
//   encore            20 bytes (40 with a log in the same supervise), byte
//                     18 its state, byte 19 zero; nosh writes 87 alike
//   runit             20 bytes, byte 18 "got TERM", byte 19 0 down, 1 run,
//                     2 finish; beside it a text supervise/stat
//   s6                35 bytes big-endian: stamp(12) readystamp(12) pid(8)
//                     wstat(2) flags(1: paused 1, finishing 2, wantup 4,
//                     ready 8); s6 2.13 wrote 43 (a pgid(8) before wstat)
// and whether a supervisor runs there: supervise/ok opens for writing (0.76,
// encore, runit), or for s6, which has no ok, supervise/control does.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "dt/tai.hpp"

namespace dt {

enum class SvFormat : std::uint8_t { daemontools, extended, encore, runit, s6 };

struct SvView {
  SvFormat format = SvFormat::daemontools;
  std::uint64_t pid = 0;  // of ./run (runit and s6: of ./finish while it runs)
  bool up = false;         // ./run is running
  bool ready = false;      // up, and ready as far as the record can say
  bool tells_ready = false;  // the record can say "not ready yet" (ours extended, s6)
  bool finishing = false;  // ./finish is running
  bool failed = false;     // will not be started again (ours and encore: state 5)
  Taia stamp;              // when the service last went up or down
};

inline constexpr std::size_t svview_min = 18;  // shorter: bad format
inline constexpr std::size_t svview_max = 64;  // read at most this much

// Decode a record of len bytes. runit_stat: supervise/stat exists beside it
// (tells a down runit record from encore's). False when len < svview_min.
bool svview_decode(const char* s, std::size_t len, bool runit_stat, SvView& v);

// Reading one service's record, relative to a descriptor of its directory.
enum class SvRead {
  ok,         // v is filled in
  missing,    // no supervise/status (yet)
  too_short,  // fewer than svview_min bytes: bad format (or a torn in-place write)
  open_failed,  // errno set
  read_failed,  // errno set
};
SvRead svview_read(int dirfd, SvView& v);

// Whether a supervisor runs in the directory.
enum class SvLive {
  running,
  stopped,  // its pipe has no reader (ENXIO)
  absent,   // no pipe at all (ENOENT): supervise/ not made yet, or removed
  failed,   // another error, errno set; *file names the pipe
};
SvLive sv_live(int dirfd, const char** file);

}  // namespace dt

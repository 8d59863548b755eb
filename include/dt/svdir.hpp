// A service directory as the control tools (svc, svstat, svok) see it: the
// named pipes and the status record supervise keeps in S/supervise, opened
// exactly as daemontools 0.76 opens them. Paths are relative: the tools
// chdir into each service first.
#pragma once
#include <sys/types.h>

#include <cstdint>

#include "dt/tai.hpp"

namespace dt {

inline constexpr const char sv_control[] = "supervise/control";
inline constexpr const char sv_ok[] = "supervise/ok";
inline constexpr const char sv_status[] = "supervise/status";
inline constexpr const char sv_down[] = "down";

// The current directory, to return to with fchdir after each service:
// open(".", O_RDONLY|O_NONBLOCK). -1 and errno on failure.
int open_cwd();

// supervise/ok for writing, O_WRONLY|O_NONBLOCK: opening it is the whole
// test, so nothing else is done. ENXIO (a pipe nobody reads) means no
// supervise runs there. The descriptor is the caller's to close.
int sv_open_ok();

// supervise/control for writing: O_WRONLY|O_NONBLOCK (ENXIO when no
// supervise reads it), then blocking again for the write.
int sv_open_control();

// The wording for a failed open of ok or control: ENXIO is "supervise not
// running", anything else daemontools' errno text.
const char* sv_error_str(int e);

// One read(2) of up to n bytes from supervise/status, opened
// O_RDONLY|O_NONBLOCK and closed again. Returns what read returned (-1 and
// errno on a read error), or -2 and errno when the open failed.
inline constexpr ssize_t sv_open_failed = -2;
ssize_t sv_read_status(char* buf, std::size_t n);

// Seconds since `when`, as svstat prints them: whole TAI64 seconds, 0 when
// `when` is in the future, and (a quirk of 0.76, kept) converted through a
// double, so a difference above 2^53 comes out rounded.
std::uint64_t sv_seconds(Tai now, Tai when);

}  // namespace dt

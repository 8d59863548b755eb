// Is a running process the one a status record names? Used by supervise to
// adopt the service a killed supervise left running (beyond 0.76: 0.76 starts
// a second copy). Linux /proc; nothing here allocates.
//
// A process may be adopted when all hold:
//   - it is alive, not a zombie, and supervise may signal it (kill(P,0));
//   - its start time matches the time in the status record (0.76 takes that
//     time right after fork returns in the parent, so it follows the child's
//     start by microseconds, more only if the parent is preempted);
//   - its working directory is the service directory or below it (a daemon
//     that chroots into ./root stays below; one that went to / does not).
//
// Start time. Field 22 of /proc/P/stat is the start in clock ticks
// (sysconf(_SC_CLK_TCK), 100 on Linux) of CLOCK_BOOTTIME, truncated to a
// tick. The boot instant in real time is taken as CLOCK_REALTIME minus
// CLOCK_BOOTTIME, read now to the nanosecond, rather than /proc/stat's btime,
// which is truncated to a whole second and would force a 1-second window.
// So  computed start <= true start <= record time, and
//     record time - computed start = one tick at most + the parent's delay.
// The window accepted is [-proc_start_early, proc_tick + proc_start_late]:
//   - early (5 ms): only measurement error can make the difference negative;
//     a process with pid P that started after the recorded one (pid reuse)
//     has a later start, so the early side is the one that guards reuse:
//     reuse matches only if the old process died and its pid came round
//     again between its start and the record time, a few microseconds;
//   - late (1 s): a parent preempted between fork and reading the clock on a
//     loaded machine; widening it costs nothing against pid reuse (see above).
// A step of the real-time clock since the start (NTP setting the clock after
// boot, a leap second) shifts the computed start: the check then fails, and
// supervise does what 0.76 does. Failing is always the safe side.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string_view>

#include "dt/tai.hpp"

namespace dt {

inline constexpr std::int64_t proc_start_early_ns = 5'000'000;
inline constexpr std::int64_t proc_start_late_ns = 1'000'000'000;

enum class ProcCheck {
  same,         // adoptable (for proc_adopt: the pidfd is returned)
  gone,         // no such process
  zombie,       // dead, not yet reaped (state Z or X)
  denied,       // may not signal it or look at it (another user)
  other_start,  // started at another time: pid reused
  other_dir,    // working directory outside the service directory
  no_pidfd,     // pidfd_open: ENOSYS (kernel before 5.3)
  error,        // /proc unreadable or malformed; errno set when a call failed
};

// "same", "gone", ... for messages.
const char* proc_check_str(ProcCheck c);

// From the text of /proc/P/stat: the state letter (field 3) and starttime
// (field 22). comm (field 2) may hold spaces and parentheses, so fields are
// counted after the last ')'. False when the line is malformed.
bool proc_stat_parse(std::string_view line, char& state, std::uint64_t& starttime);

// Reads /proc/P/stat (gone, error or same with state and starttime set).
ProcCheck proc_stat_read(pid_t pid, char& state, std::uint64_t& starttime);

// The real time at which a process with this starttime began, in
// nanoseconds since the Unix epoch.
std::int64_t proc_start_unix_ns(std::uint64_t starttime);

// Does a start (ns since the epoch) match a status record's time?
bool proc_start_matches(std::int64_t start_ns, const Taia& recorded);

// Is /proc/P/cwd the directory dirfd refers to (AT_FDCWD: ".") or below it?
// Compares device and inode of the cwd and of each ancestor up to /.
ProcCheck proc_cwd_below(pid_t pid, int dirfd);

// pidfd_open(2) through syscall(2); -1 with errno (ENOSYS on kernels before
// 5.3, ESRCH for no such process). Close-on-exec.
int pidfd_open(pid_t pid);

// Every check above, in an order that leaves no race with pid reuse: the
// pidfd is opened first and pins the process; after the reads of /proc, a
// pidfd that is not yet readable (the process has not exited) shows that
// every read was about that process. Returns the pidfd (why = same), or -1
// with why saying which check failed.
int proc_adopt(pid_t pid, const Taia& recorded, int dirfd, ProcCheck& why);

}  // namespace dt

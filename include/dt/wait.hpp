// waitpid(2) helpers and decoding of a wait status.
#pragma once
#include <sys/types.h>

namespace dt {

pid_t wait_nohang(int* status);       // any child, WNOHANG; EINTR retried
pid_t wait_pid(pid_t pid, int* status);  // that child, blocking; EINTR retried

inline bool wait_crashed(int status) { return (status & 127) != 0; }  // killed by a signal
inline int wait_exitcode(int status) { return (status >> 8) & 255; }
inline int wait_stopsig(int status) { return status & 127; }

}  // namespace dt

// Whole-file locks. daemontools 0.76 on Linux uses flock(2) (seen in
// /proc/locks as FLOCK), so ours does too: a reference supervise and ours
// exclude each other on the same supervise/lock, and setlock interoperates.
#pragma once

namespace dt {

int lock_ex(int fd);    // wait for an exclusive lock; EINTR retried
int lock_exnb(int fd);  // exclusive lock or -1 (EWOULDBLOCK) at once

}  // namespace dt

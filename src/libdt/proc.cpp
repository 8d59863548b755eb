#include "dt/proc.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "dt/fd.hpp"
#include "dt/fmt.hpp"

// Not in the headers of every libc; the numbers are the same on every
// architecture (new system calls share one table).
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace dt {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

// "/proc/PID/" + name, in a buffer of at least 64 bytes.
void proc_path(char* s, pid_t pid, const char* name) {
  std::size_t n = 0;
  std::memcpy(s, "/proc/", 6);
  n = 6;
  n += fmt_ulong(s + n, static_cast<unsigned long>(pid));
  s[n++] = '/';
  std::size_t l = std::strlen(name);
  std::memcpy(s + n, name, l);
  s[n + l] = 0;
}

long ticks_per_second() {
  long t = ::sysconf(_SC_CLK_TCK);
  return t > 0 ? t : 100;
}

std::int64_t clock_ns(clockid_t c) {
  struct timespec ts;
  ::clock_gettime(c, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * ns_per_s + ts.tv_nsec;
}

// CLOCK_REALTIME at the boot instant, in ns: real time now minus boot time
// now, read between two boot-time readings (taken again if preempted).
std::int64_t boot_unix_ns() {
  std::int64_t b1 = 0, r = 0, b2 = 0;
  for (int i = 0; i < 5; ++i) {
    b1 = clock_ns(CLOCK_BOOTTIME);
    r = clock_ns(CLOCK_REALTIME);
    b2 = clock_ns(CLOCK_BOOTTIME);
    if (b2 - b1 < 1'000'000) break;
  }
  return r - (b1 + (b2 - b1) / 2);
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

ProcCheck open_failure(int e) {
  if (e == ENOENT || e == ESRCH) return ProcCheck::gone;
  if (e == EACCES || e == EPERM) return ProcCheck::denied;
  return ProcCheck::error;
}

}  // namespace

const char* proc_check_str(ProcCheck c) {
  switch (c) {
    case ProcCheck::same: return "same";
    case ProcCheck::gone: return "gone";
    case ProcCheck::zombie: return "zombie";
    case ProcCheck::denied: return "denied";
    case ProcCheck::other_start: return "other start time";
    case ProcCheck::other_dir: return "other directory";
    case ProcCheck::no_pidfd: return "no pidfd_open";
    case ProcCheck::error: return "error";
  }
  return "error";
}

bool proc_stat_parse(std::string_view line, char& state, std::uint64_t& starttime) {
  std::size_t close = line.rfind(')');
  if (close == std::string_view::npos || line.find('(') > close) return false;
  std::string_view rest = line.substr(close + 1);
  // Fields 3, 4, ... after the last ')', separated by single spaces.
  int field = 2;
  bool have_state = false;
  std::size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] != ' ') return false;
    ++i;
    std::size_t j = i;
    while (j < rest.size() && rest[j] != ' ' && rest[j] != '\n') ++j;
    if (j == i) return false;
    ++field;
    std::string_view tok = rest.substr(i, j - i);
    if (field == 3) {
      if (tok.size() != 1) return false;
      state = tok[0];
      have_state = true;
    } else if (field == 22) {
      std::uint64_t v = 0;
      for (char c : tok) {
        if (c < '0' || c > '9') return false;
        if (v > (UINT64_MAX - 9) / 10) return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      starttime = v;
      return have_state;
    }
    if (j < rest.size() && rest[j] == '\n') return false;
    i = j;
  }
  return false;
}

ProcCheck proc_stat_read(pid_t pid, char& state, std::uint64_t& starttime) {
  char path[64];
  proc_path(path, pid, "stat");
  Fd f(open_retry(path, O_RDONLY | O_CLOEXEC));
  if (!f) return open_failure(errno);
  // One line: pid, comm (at most 64 bytes with the parentheses, even with
  // a long kernel thread name), then 50 numbers of at most 20 digits.
  char buf[1280];
  std::size_t len = 0;
  for (;;) {
    ssize_t r = read_retry(f.get(), buf + len, sizeof buf - len);
    if (r == -1) return errno == ESRCH ? ProcCheck::gone : ProcCheck::error;
    if (r == 0) break;
    len += static_cast<std::size_t>(r);
    if (len == sizeof buf) break;
  }
  if (!proc_stat_parse(std::string_view(buf, len), state, starttime)) {
    errno = 0;
    return ProcCheck::error;
  }
  return ProcCheck::same;
}

std::int64_t proc_start_unix_ns(std::uint64_t starttime) {
  auto tck = static_cast<std::uint64_t>(ticks_per_second());
  std::uint64_t since_boot = (starttime / tck) * static_cast<std::uint64_t>(ns_per_s) +
                             (starttime % tck) * static_cast<std::uint64_t>(ns_per_s) / tck;
  return boot_unix_ns() + static_cast<std::int64_t>(since_boot);
}

bool proc_start_matches(std::int64_t start_ns, const Taia& recorded) {
  std::int64_t sec = tai_to_unix(recorded.sec);
  // Far outside any start time (a garbage record): no match, no overflow.
  if (sec < 0 || sec > (INT64_MAX / ns_per_s) - 2) return false;
  std::int64_t rec_ns = sec * ns_per_s + static_cast<std::int64_t>(recorded.nano % ns_per_s);
  std::int64_t tick_ns = ns_per_s / ticks_per_second();
  if (start_ns > rec_ns + proc_start_early_ns) return false;
  return rec_ns - start_ns <= tick_ns + proc_start_late_ns;
}

ProcCheck proc_cwd_below(pid_t pid, int dirfd) {
  struct stat d;
  if (::fstatat(dirfd, ".", &d, 0) == -1) return ProcCheck::error;
  char path[64];
  proc_path(path, pid, "cwd");
  Fd cur(open_retry(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur) return open_failure(errno);
  struct stat c;
  if (::fstat(cur.get(), &c) == -1) return ProcCheck::error;
  // Up through "..", which crosses mount points; a path has fewer than
  // PATH_MAX/2 components, so the bound is never the reason to stop.
  for (int depth = 0; depth < 4096; ++depth) {
    if (same_file(c, d)) return ProcCheck::same;
    Fd up(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!up) return errno == ENOENT ? ProcCheck::other_dir : ProcCheck::error;  // ENOENT: a removed directory
    struct stat u;
    if (::fstat(up.get(), &u) == -1) return ProcCheck::error;
    if (same_file(u, c)) return ProcCheck::other_dir;  // reached /
    cur = std::move(up);
    c = u;
  }
  return ProcCheck::other_dir;
}

int pidfd_open(pid_t pid) {
  long r = ::syscall(SYS_pidfd_open, pid, 0);
  return r < 0 ? -1 : static_cast<int>(r);
}

int proc_adopt(pid_t pid, const Taia& recorded, int dirfd, ProcCheck& why) {
  if (pid <= 0) {
    why = ProcCheck::gone;
    return -1;
  }
  Fd pidfd(pidfd_open(pid));
  if (!pidfd) {
    if (errno == ESRCH) why = ProcCheck::gone;
    else if (errno == ENOSYS) why = ProcCheck::no_pidfd;
    else why = ProcCheck::error;  // EINVAL: pid names a thread, not a process
    return -1;
  }
  if (::syscall(SYS_pidfd_send_signal, pidfd.get(), 0, nullptr, 0) == -1) {
    // ENOSYS cannot happen where pidfd_open exists (5.3 > 5.1).
    why = errno == EPERM ? ProcCheck::denied : errno == ESRCH ? ProcCheck::gone : ProcCheck::error;
    return -1;
  }
  char state = 0;
  std::uint64_t starttime = 0;
  why = proc_stat_read(pid, state, starttime);
  if (why != ProcCheck::same) return -1;
  if (state == 'Z' || state == 'X' || state == 'x') {
    why = ProcCheck::zombie;
    return -1;
  }
  if (!proc_start_matches(proc_start_unix_ns(starttime), recorded)) {
    why = ProcCheck::other_start;
    return -1;
  }
  why = proc_cwd_below(pid, dirfd);
  if (why != ProcCheck::same) return -1;
  // Still running after every read: the reads were about this process.
  struct pollfd p = {pidfd.get(), POLLIN, 0};
  int r;
  do r = ::poll(&p, 1, 0);
  while (r == -1 && errno == EINTR);
  if (r == -1) {
    why = ProcCheck::error;
    return -1;
  }
  if (r > 0) {
    why = ProcCheck::gone;
    return -1;
  }
  return pidfd.release();
}

}  // namespace dt

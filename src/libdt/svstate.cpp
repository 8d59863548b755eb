#include "dt/svstate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "dt/fd.hpp"
#include "dt/status.hpp"

namespace dt {

namespace {

constexpr std::size_t s6_size = 35;
constexpr std::size_t s6_213_size = 43;  // s6 2.13.x: a pgid before wstat
constexpr unsigned s6_finishing = 2;
constexpr unsigned s6_ready = 8;
constexpr unsigned char runit_run = 1;
constexpr unsigned char runit_finish = 2;

unsigned char byte(const char* s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

std::uint64_t be64(const char* s) {
  std::uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = (u << 8) | byte(s, i);
  return u;
}

void decode_s6(const char* s, std::size_t flags_at, SvView& v) {
  unsigned flags = byte(s, flags_at);
  v.format = SvFormat::s6;
  v.stamp = tain_unpack(s);
  v.pid = be64(s + 24);
  // While ./finish runs, s6 puts finish's pid in the record.
  v.finishing = flags & s6_finishing;
  v.up = v.pid && !v.finishing;
  v.tells_ready = true;
  v.ready = v.up && (flags & s6_ready);
}

}  // namespace

bool svview_decode(const char* s, std::size_t len, bool runit_stat, SvView& v) {
  v = SvView{};
  if (len == s6_size) return decode_s6(s, 34, v), true;
  if (len == s6_213_size) return decode_s6(s, 42, v), true;
  if (len < svview_min) return false;
  // Ours is exactly 20 bytes (as svstat reads it): s6's longer records
  // have 0x80 at byte 19 half the time.
  Status st = status_unpack(s, len == status_ext_size ? len : svview_min);
  v.stamp = st.when;
  v.pid = st.pid;
  v.up = st.pid != 0;
  v.ready = v.up;
  if (st.extended) {
    v.format = SvFormat::extended;
    v.tells_ready = true;
    v.ready = v.up && st.state == SvState::running;
    v.finishing = st.flags & status_flag_finishing;
    v.failed = st.state == SvState::failed;
    return true;
  }
  if (len < status_ext_size) return true;  // 18 or 19 bytes: 0.76
  unsigned char b18 = byte(s, 18), b19 = byte(s, 19);
  if (len == status_ext_size && (runit_stat || b19 == runit_run || b19 == runit_finish)) {
    // runit keeps the pid of ./finish in the record while it runs.
    v.format = SvFormat::runit;
    v.finishing = b19 == runit_finish;
    v.up = v.pid && b19 == runit_run;
    v.ready = v.up;
    return true;
  }
  if (b19 != 0 || (len != status_ext_size && len < 38)) return true;  // nobody's: 0.76
  // encore (and nosh): byte 18 is the state; "started" (./start done, no
  // ./run) counts as up, as encore's svup counts it.
  auto state = static_cast<SvState>(b18);
  v.format = SvFormat::encore;
  v.up = v.pid || state == SvState::started || state == SvState::running;
  v.ready = v.up;
  v.finishing = !v.pid && state == SvState::stopping;
  v.failed = state == SvState::failed;
  return true;
}

SvRead svview_read(int dirfd, SvView& v) {
  Fd fd(::openat(dirfd, "supervise/status", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return errno == ENOENT ? SvRead::missing : SvRead::open_failed;
  char buf[svview_max];
  std::size_t len = 0;
  while (len < sizeof buf) {
    ssize_t r = read_retry(fd.get(), buf + len, sizeof buf - len);
    if (r == -1) return SvRead::read_failed;
    if (r == 0) break;
    len += static_cast<std::size_t>(r);
  }
  struct stat st;
  bool runit_stat = len == status_ext_size && ::fstatat(dirfd, "supervise/stat", &st, 0) == 0;
  return svview_decode(buf, len, runit_stat, v) ? SvRead::ok : SvRead::too_short;
}

SvLive sv_live(int dirfd, const char** file) {
  // s6 has no ok: its control pipe (read by s6-supervise alone) tells.
  for (const char* f : {"supervise/ok", "supervise/control"}) {
    *file = f;
    int fd;
    do fd = ::openat(dirfd, f, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    while (fd == -1 && errno == EINTR);
    if (fd != -1) {
      ::close(fd);
      return SvLive::running;
    }
    if (errno == ENXIO) return SvLive::stopped;
    if (errno != ENOENT) return SvLive::failed;
  }
  return SvLive::absent;
}

}  // namespace dt

// svwait [-u|-U|-d|-D|-r|-R] [-a|-o] [-t millisecs] dir ...: wait until the
// services are up (ready, down, down with ./finish done, restarted), all of
// them or any one, within a time limit. Beyond 0.76 (a new program, in
// s6-svwait's conventions): exit 0 reached, 99 timed out, 100 usage, 102 a
// supervise went away, 111 system error, n: n services failed for good.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "dt/clock.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/sgetopt.hpp"
#include "dt/svstate.hpp"
#include "dt/svwatch.hpp"
#include "dt/tai.hpp"
#include "dt/wait.hpp"

namespace {

constexpr const char usage_text[] = "svwait [ -u | -U | -d | -D | -r | -R ] [ -a | -o ] [ -t millisecs ] dir ...";
constexpr int exit_timeout = 99;
constexpr int exit_gone = 102;
constexpr int max_failed = 98;            // above are the codes that mean something else
constexpr dt::mono_t tick = 100 * dt::mono_ms;  // polls, where nothing tells us
constexpr int short_reads_max = 3;        // a torn in-place write is transient; more is bad format

enum class Want { up, ready, down, finished };
enum class Outcome { pending, met, failed };
enum class ReadyBy { record, check, up };  // how -U knows readiness

struct Options {
  Want want = Want::up;
  bool restart = false;  // -r, -R: the status stamp must move on first
  bool any = false;      // -o
  dt::mono_t deadline = dt::mono_never;
};

struct Service {
  const char* name = nullptr;
  std::string sup;  // name/supervise, for the watch
  dt::Fd dir;       // O_PATH descriptor of the directory
  int wd_dir = -1, wd_sup = -1;
  bool seen_running = false;
  bool running = false;
  bool have_start = false;
  dt::Taia start;  // the stamp when svwait started (-r, -R)
  ReadyBy ready_by = ReadyBy::record;
  bool has_check = false;
  bool warned = false;
  pid_t check_pid = 0;
  bool check_passed = false;
  dt::mono_t check_next = 0;
  int short_reads = 0;
  Outcome outcome = Outcome::pending;
  bool dirty = true;
};

Options opt;
std::vector<Service> services;
dt::SvWatch watch;
bool watching = false;

[[noreturn]] void usage() { dt::die_usage(usage_text); }

bool later(const dt::Taia& a, const dt::Taia& b) {
  return a.sec.x > b.sec.x || (a.sec.x == b.sec.x && a.nano > b.nano);
}

[[noreturn]] void leave(int code) {
  for (Service& s : services)
    if (s.check_pid > 0) ::kill(s.check_pid, SIGKILL);
  watch.release_in_background();
  _exit(code);
}

// -t: decimal milliseconds, 0 for no limit; anything else, or a number past
// 64 bits, is a usage error. A limit past what the clock holds is none.
dt::mono_t parse_deadline(const char* s) {
  std::uint64_t ms = 0;
  if (!*s) usage();
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') usage();
    unsigned d = static_cast<unsigned>(*s - '0');
    if (ms > (UINT64_MAX - d) / 10) usage();
    ms = ms * 10 + d;
  }
  if (ms == 0) return dt::mono_never;
  dt::mono_t now = dt::mono_now();
  if (ms >= static_cast<std::uint64_t>((dt::mono_never - now) / dt::mono_ms)) return dt::mono_never;
  return now + static_cast<dt::mono_t>(ms) * dt::mono_ms;
}

char** parse_options(char** argv) {
  dt::Getopt g(argv, "uUdDrRaot:");
  for (int c; (c = g.next()) != -1;) {
    switch (c) {
      case 'u': opt.want = Want::up, opt.restart = false; break;
      case 'U': opt.want = Want::ready, opt.restart = false; break;
      case 'd': opt.want = Want::down, opt.restart = false; break;
      case 'D': opt.want = Want::finished, opt.restart = false; break;
      case 'r': opt.want = Want::up, opt.restart = true; break;
      case 'R': opt.want = Want::ready, opt.restart = true; break;
      case 'a': opt.any = false; break;
      case 'o': opt.any = true; break;
      case 't': opt.deadline = parse_deadline(g.arg()); break;
      default: usage();
    }
  }
  if (!*g.rest()) usage();
  return g.rest();
}

bool exists(int dirfd, const char* file, int mode) { return ::faccessat(dirfd, file, mode, 0) == 0; }

void open_service(Service& s) {
  s.dir.reset(dt::open_retry(s.name, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!s.dir) dt::die_sys(dt::exit_temp, "unable to open ", s.name);
  s.sup = std::string(s.name) + "/supervise";
  if (opt.want != Want::ready) return;
  s.has_check = exists(s.dir.get(), "check", X_OK);
  if (exists(s.dir.get(), "notification-fd", F_OK)) return;
  s.ready_by = s.has_check ? ReadyBy::check : ReadyBy::up;
  if (!s.has_check) dt::warn(s.name, "/notification-fd not present - waiting for up");
}

// Watch what is there to watch; what is not (yet) gets polled.
void add_watches(Service& s) {
  if (!watching) return;
  if (s.wd_sup == -1) s.wd_sup = watch.add_supervise(s.sup.c_str());
  if (s.wd_dir == -1 && s.wd_sup == -1) s.wd_dir = watch.add_dir(s.name);
}

// ./check, run as runit's sv runs it: in the service directory, stdout
// closed; exit 0 means ready. One at a time, at most one start a tick.
void run_check(Service& s, dt::mono_t now) {
  if (s.check_pid > 0 || now < s.check_next) return;
  s.check_next = now + tick;
  pid_t pid = ::fork();
  if (pid == -1) return dt::warn_sys("unable to fork for ", s.name, "/check");
  if (pid == 0) {
    ::close(1);
    if (::fchdir(s.dir.get()) == -1) _exit(dt::exit_temp);
    char arg0[] = "./check";
    char* args[] = {arg0, nullptr};
    ::execv(arg0, args);
    _exit(dt::exit_temp);
  }
  s.check_pid = pid;
}

void reap_checks() {
  for (int st; ;) {
    pid_t pid = dt::wait_nohang(&st);
    if (pid <= 0) return;
    for (Service& s : services)
      if (s.check_pid == pid) {
        s.check_pid = 0;
        s.check_passed = !dt::wait_crashed(st) && dt::wait_exitcode(st) == 0;
        s.dirty = true;
      }
  }
}

bool ready(Service& s, const dt::SvView& v, dt::mono_t now) {
  if (!v.up) {
    s.check_passed = false;
    return false;
  }
  if (s.ready_by == ReadyBy::record && !v.tells_ready) {
    // notification-fd, but a supervisor that does not say readiness
    s.ready_by = s.has_check ? ReadyBy::check : ReadyBy::up;
    if (!s.has_check) dt::warn("supervise for ", s.name, " does not report readiness - waiting for up");
  }
  switch (s.ready_by) {
    case ReadyBy::record: return v.ready;
    case ReadyBy::up: return true;
    case ReadyBy::check:
      if (s.check_passed) return true;
      run_check(s, now);
      return false;
  }
  return false;
}

Outcome judge(Service& s, const dt::SvView& v, dt::mono_t now) {
  switch (opt.want) {
    case Want::down: return v.up ? Outcome::pending : Outcome::met;
    case Want::finished: return v.up || v.finishing ? Outcome::pending : Outcome::met;
    case Want::up:
    case Want::ready: break;
  }
  if (v.failed) return Outcome::failed;
  if (opt.restart && s.have_start && !later(v.stamp, s.start)) return Outcome::pending;
  if (opt.want == Want::up) return v.up ? Outcome::met : Outcome::pending;
  return ready(s, v, now) ? Outcome::met : Outcome::pending;
}

// The record, or nothing yet; a system error is fatal.
bool read_record(Service& s, dt::SvView& v) {
  switch (dt::svview_read(s.dir.get(), v)) {
    case dt::SvRead::ok: s.short_reads = 0; return true;
    case dt::SvRead::missing: return false;
    case dt::SvRead::too_short:
      if (++s.short_reads >= short_reads_max)
        dt::errmsg_exit(dt::exit_temp, {"fatal: unable to read ", s.name, "/supervise/status: bad format"});
      return false;
    case dt::SvRead::open_failed: dt::die_sys(dt::exit_temp, "unable to open ", s.name, "/supervise/status");
    case dt::SvRead::read_failed: dt::die_sys(dt::exit_temp, "unable to read ", s.name, "/supervise/status");
  }
  return false;
}

void look(Service& s, dt::mono_t now) {
  s.dirty = false;
  add_watches(s);
  const char* file = "";
  dt::SvLive live = dt::sv_live(s.dir.get(), &file);
  if (live == dt::SvLive::failed) dt::die_sys(dt::exit_temp, "unable to open ", s.name, "/", file);
  s.running = live == dt::SvLive::running;
  dt::SvView v;
  if (s.running) {
    s.seen_running = true;
    if (read_record(s, v)) s.outcome = judge(s, v, now);
    return;
  }
  if (!s.seen_running) return;  // not started yet: waited through
  // It was running and has gone: its last word may still be the one we
  // wait for (svc -dx), else it will not come.
  if (read_record(s, v) && judge(s, v, now) == Outcome::met) {
    s.outcome = Outcome::met;
    return;
  }
  dt::die(exit_gone, "supervise for ", s.name, " exited");
}

// Polled: not watched, supervisor not running, ./check pending, or a short
// record; everything else waits for its watch.
bool needs_tick(const Service& s) {
  if (s.outcome != Outcome::pending) return false;
  return s.wd_sup == -1 || !s.running || s.ready_by == ReadyBy::check || s.short_reads > 0;
}

// The exit code once the outcome is known, else -1.
int decided() {
  int met = 0, failed = 0, pending = 0;
  for (const Service& s : services) {
    if (s.outcome == Outcome::met) ++met;
    if (s.outcome == Outcome::failed) ++failed;
    if (s.outcome == Outcome::pending) ++pending;
  }
  if (failed > max_failed) failed = max_failed;
  if (opt.any) return met ? 0 : pending ? -1 : failed;
  if (failed) return failed;  // all of them can no longer be
  return pending ? -1 : 0;
}

void take_events() {
  if (!watch.read()) dt::die_sys(dt::exit_temp, "unable to read inotify events");
  int wd;
  dt::SvEvent ev;
  while (watch.next(wd, ev)) {
    for (Service& s : services) {
      if (ev == dt::SvEvent::overflow || wd == s.wd_sup || wd == s.wd_dir) s.dirty = true;
      if (ev != dt::SvEvent::lost) continue;
      if (wd == s.wd_sup) s.wd_sup = -1;
      if (wd == s.wd_dir) s.wd_dir = -1;
    }
  }
}

// -r, -R: the stamp to move past. A restart asked for just before svwait
// started (svc -t S && svwait -r S) may be over before the first read: so
// when supervise/control was written to (its mtime: a command) within
// command_grace before the start, the stamp must only be later than that
// command. Not for s6 records, whose stamps count leap seconds.
constexpr std::uint64_t command_grace_s = 2;

void note_start() {
  dt::Taia now = dt::taia_now();
  for (Service& s : services) {
    dt::SvView v;
    if (dt::svview_read(s.dir.get(), v) != dt::SvRead::ok) continue;
    s.have_start = true;
    s.start = v.stamp;
    struct stat st;
    if (v.format == dt::SvFormat::s6 || ::fstatat(s.dir.get(), "supervise/control", &st, 0) == -1) continue;
    dt::Taia cmd{dt::Tai{dt::tai_unix_offset + static_cast<std::uint64_t>(st.st_mtim.tv_sec)},
                 static_cast<std::uint32_t>(st.st_mtim.tv_nsec)};
    dt::Taia grace_end{dt::Tai{cmd.sec.x + command_grace_s}, cmd.nano};  // less than 2 s, to the ns
    if (later(s.start, cmd) && !later(cmd, now) && later(grace_end, now)) s.start = cmd;
  }
}

[[noreturn]] void wait_loop() {
  // The polls keep their own schedule: events that wake us for nothing
  // (another reader of a status file) do not put them off.
  dt::mono_t next_tick = 0;
  for (;;) {
    dt::mono_t now = dt::mono_now();
    reap_checks();
    if (now >= next_tick) {
      for (Service& s : services) s.dirty |= needs_tick(s);
      next_tick = now + tick;
    }
    bool tick_due = false;
    for (Service& s : services) {
      if (s.outcome == Outcome::pending && s.dirty) look(s, now);
      tick_due |= needs_tick(s);
    }
    int code = decided();
    if (code > 0)
      for (const Service& s : services)
        if (s.outcome == Outcome::failed) dt::warn(s.name, " failed: it will not be started again");
    if (code >= 0) leave(code);
    now = dt::mono_now();
    if (now >= opt.deadline) {
      dt::errmsg({"fatal: timed out"});
      leave(exit_timeout);
    }
    dt::mono_t until = tick_due ? dt::mono_min(opt.deadline, next_tick) : opt.deadline;
    struct pollfd p = {watch.fd(), POLLIN, 0};
    int r = ::poll(&p, watching ? 1 : 0, dt::poll_timeout(until, now));
    if (r == -1 && errno != EINTR) dt::die_sys(dt::exit_temp, "unable to poll");
    if (r > 0) take_events();
  }
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "svwait";
  if (argc < 1) usage();
  char** dirs = parse_options(argv);
  for (char** d = dirs; *d; ++d) {
    services.emplace_back();
    services.back().name = *d;
  }
  for (Service& s : services) open_service(s);
  watching = watch.open();
  for (Service& s : services) add_watches(s);  // before the first look: nothing missed
  if (opt.restart) note_start();
  wait_loop();
}

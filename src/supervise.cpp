// supervise s: start s/run, restart it when it exits, obey svc through
// s/supervise/control, and keep s/supervise/status up to date.
//
// Everything lives in fixed-size static state: nothing is allocated after
// start-up. The lifecycle is the table `rows` below: for each event (a
// control letter, the exit of ./run or ./finish, the readiness newline, a
// deadline), what happens in each state. One loop (run_loop) waits for the
// next event on a 64-bit monotonic clock; there are no sleeps.
//
// Beyond 0.76 (each only where 0.76 ignores a byte or a file): more control
// letters, ./finish, ./down-signal and ./timeout-kill, ./notification-fd, and
// in "extended mode" (one of those files present) a 20-byte status record.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>

#include "dt/clock.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/fmt.hpp"
#include "dt/lock.hpp"
#include "dt/proc.hpp"
#include "dt/sig.hpp"
#include "dt/status.hpp"
#include "dt/svdir.hpp"
#include "dt/svfile.hpp"
#include "dt/svstatus.hpp"
#include "dt/tai.hpp"
#include "dt/wait.hpp"

extern char** environ;

namespace {

// The want byte of the status record: 'u', 'd', or NUL after svc -o.
enum class Want : char { up = 'u', down = 'd', once = 0 };

// The states of the service (the columns of the table): no process; ./run
// running; ./finish running (after ./run exited).
enum Phase { down, up, finishing, phase_count };

// Deadlines.
//   hold: 0.76 pauses after every start (1 s) and after a failed fork
//     (60 s) and handles nothing meanwhile: control letters and the exit of
//     the service wait, as in 0.76 (only the readiness pipe is read);
//   kill: ./timeout-kill after a d, then every 5 s while that ./run lives;
//   finish: ./timeout-finish after ./finish started.
enum Timer { hold, kill, finish, timer_count };

constexpr dt::mono_t kill_repeat = 5 * dt::mono_s;
constexpr std::uint64_t ms_max = 4294967295u;  // s6's limit for timeouts
constexpr std::uint64_t finish_ms_default = 5000;

// The files that make a service "extended" (the 20-byte record).
constexpr const char* extended_files[] = {"notification-fd", "finish", "timeout-kill", "timeout-finish",
                                          "down-signal"};

struct Service {
  const char* dir = nullptr;
  Phase phase = down;
  pid_t pid = 0;        // ./run while up, ./finish while finishing
  pid_t run_pid = 0;    // the ./run that ./finish is about
  dt::Taia when;        // last start or exit (first: start-up)
  Want want = Want::up;
  bool paused = false;   // svc -p sent, no -c since; only while up
  bool exiting = false;  // svc -x: exit as soon as the service is down
  // For the bytes of one write (until the FIFO is empty): `+` sends the
  // signal letters to the service's group, `L` ignores the bytes (encore).
  bool group = false;
  bool ignoring = false;
  bool retry_start = false;     // the hold follows a failed fork: start again
  bool resume_control = false;  // the hold interrupted the loop before its control byte
  bool extended = false;  // sticky: write the 20-byte record
  bool stopping = false;  // d or r sent to this ./run
  bool failed = false;    // ./finish exited 125: not restarted until u
  bool ready_active = false;  // this ./run has a notification-fd
  bool ready = false;         // ... and wrote its newline
  bool kill_group = false;    // the target of the timeout-kill
  int wstat = 0;              // how ./run or ./finish exited
  // A ./run left by a supervise that was killed, adopted at start-up: not
  // our child, watched through a pidfd; its exit status cannot be known.
  bool adopted = false;
  dt::Fd pidfd;
  dt::mono_t due[timer_count] = {};
  dt::Fd lock;
  dt::Fd control;       // read end, non-blocking
  dt::Fd control_keep;  // write end, held so the reader never sees EOF
  dt::Fd ok;            // read end: svok can open ok while we run
  dt::Fd notify;        // read end of ./run's notification-fd pipe
  bool control_eof = false;  // control is not a FIFO (see wait_event)
};
Service sv;

bool holding() { return sv.due[hold] != dt::mono_never; }

dt::SvState state() {
  switch (sv.phase) {
    case up:
      if (sv.stopping) return dt::SvState::stopping;
      return sv.ready_active && !sv.ready ? dt::SvState::starting : dt::SvState::running;
    case finishing: return dt::SvState::stopping;
    default: return sv.failed ? dt::SvState::failed : dt::SvState::stopped;
  }
}

void announce() {
  dt::Status st;
  st.when = sv.when;
  st.pid = static_cast<std::uint32_t>(sv.phase == up ? sv.pid : 0);  // 0 while ./finish runs
  st.paused = sv.phase == up && sv.paused;
  st.want = static_cast<char>(sv.want);
  st.extended = sv.extended;
  st.state = state();
  st.flags = static_cast<std::uint8_t>((sv.phase == up && sv.ready_active ? dt::status_flag_ready_active : 0) |
                                       (sv.phase == finishing ? dt::status_flag_finishing : 0));
  switch (dt::status_write(st)) {
    case dt::StatusStep::done: break;
    case dt::StatusStep::open: dt::warn_sys("unable to open ", sv.dir, "/", dt::sv_status_new); break;
    case dt::StatusStep::write: dt::warn_sys("unable to write ", sv.dir, "/", dt::sv_status_new); break;
    case dt::StatusStep::rename:
      dt::warn_sys("unable to rename ", sv.dir, "/", dt::sv_status_new, " to status");
      break;
  }
}

// Extended mode starts when one of its files is there at start-up or before
// a spawn, and then lasts.
void check_extended() {
  struct stat st;
  for (const char* f : extended_files)
    if (!sv.extended && ::lstat(f, &st) == 0) sv.extended = true;
}

// A settings file that is there but unusable is a warning; the caller then
// does what 0.76 does.
bool setting_ok(dt::SvFile r, const char* file) {
  if (r == dt::SvFile::error) dt::warn_sys("unable to read ", sv.dir, "/", file);
  if (r == dt::SvFile::invalid) dt::warn("invalid ", sv.dir, "/", file);
  return r == dt::SvFile::ok;
}
std::uint64_t setting_ms(const char* file, std::uint64_t dflt) {
  std::uint64_t v;
  return setting_ok(dt::svfile_read_uint(file, ms_max, v), file) ? v : dflt;
}
int down_signal() {
  int sig;
  return setting_ok(dt::svfile_read_signal("down-signal", sig), "down-signal") ? sig : SIGTERM;
}
// The descriptor ./run gets for readiness, or -1.
int notification_fd() {
  std::uint64_t v;
  long max = ::sysconf(_SC_OPEN_MAX);
  if (max <= 0) max = 1024;
  return setting_ok(dt::svfile_read_uint("notification-fd", static_cast<std::uint64_t>(max - 1), v), "notification-fd")
             ? static_cast<int>(v)
             : -1;
}

// In the child: the environment, descriptors and process group of
// supervise, SIGCHLD as supervise found it.
void child_exec(char** argv, const char* what, int code) {
  dt::sig_default(SIGCHLD);
  dt::sig_unblock(SIGCHLD);
  ::execve(argv[0], argv, environ);
  if (code == dt::exit_temp) dt::die_sys(code, "unable to start ", sv.dir, "/", what);
  dt::warn_sys("unable to start ", sv.dir, "/", what);
  ::_exit(code);
}

// Start ./run, then hold a second whatever happens, so a run that exits at
// once restarts at most once a second (the reference does exactly this).
// A failed fork holds 60 seconds and tries again (0.76 retries even when
// the start came from svc -o).
void start() {
  check_extended();
  int nfd = notification_fd();
  int p[2] = {-1, -1};
  if (nfd >= 0 && ::pipe2(p, O_CLOEXEC) == -1) {
    dt::warn_sys("unable to create pipe for ", sv.dir, "/notification-fd");
    nfd = -1;
  }
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", sv.dir, ", sleeping 60 seconds");
    if (nfd >= 0) ::close(p[0]), ::close(p[1]);
    sv.retry_start = true;
    sv.due[hold] = dt::mono_now() + 60 * dt::mono_s;
    return;
  }
  if (pid == 0) {
    // the write end on fd N, without close-on-exec (N may be 0, 1 or 2)
    if (nfd >= 0 && (p[1] == nfd ? ::fcntl(nfd, F_SETFD, 0) : ::dup2(p[1], nfd)) == -1)
      dt::die_sys(dt::exit_temp, "unable to set up ", sv.dir, "/notification-fd");
    char run[] = "./run";
    char* argv[] = {run, nullptr};
    child_exec(argv, "run", dt::exit_temp);
  }
  sv.phase = up;
  sv.pid = pid;
  sv.paused = false;
  sv.failed = false;
  sv.stopping = false;
  sv.ready = false;
  sv.ready_active = nfd >= 0;
  if (nfd >= 0) {
    ::close(p[1]);
    sv.notify.reset(p[0]);
    dt::ndelay_on(p[0]);
  }
  sv.when = dt::taia_now();
  announce();
  sv.due[hold] = dt::mono_now() + dt::mono_s;
}

// ./finish CODE SIG DIR PID (s6's arguments, with the pid of the dead run).
// Returns false when there is no ./finish or it cannot be forked.
bool start_finish() {
  struct stat st;
  if (::stat("finish", &st) == -1) return false;
  check_extended();
  char code[dt::fmt_ulong_max + 1], sig[dt::fmt_ulong_max + 1], pid[dt::fmt_ulong_max + 1];
  bool killed = dt::wait_crashed(sv.wstat);
  code[dt::fmt_ulong(code, killed ? 256 : static_cast<unsigned long>(dt::wait_exitcode(sv.wstat)))] = 0;
  sig[dt::fmt_ulong(sig, killed ? static_cast<unsigned long>(sv.wstat & 127) : 0)] = 0;
  if (sv.adopted) {  // runit's "unknown", as the issue asks: -1 0
    code[0] = '-', code[1] = '1', code[2] = 0;
    sig[0] = '0', sig[1] = 0;
  }
  pid[dt::fmt_ulong(pid, static_cast<unsigned long>(sv.run_pid))] = 0;
  pid_t f = ::fork();
  if (f == -1) {
    dt::warn_sys("unable to fork for ", sv.dir, "/finish");
    return false;
  }
  if (f == 0) {
    char finish[] = "./finish";
    char* argv[] = {finish, code, sig, const_cast<char*>(sv.dir), pid, nullptr};
    child_exec(argv, "finish", 127);  // an exec failure is a finish exit
  }
  sv.phase = finishing;
  sv.pid = f;
  std::uint64_t ms = setting_ms("timeout-finish", finish_ms_default);
  if (ms) sv.due[finish] = dt::mono_now() + static_cast<dt::mono_t>(ms) * dt::mono_ms;
  return true;
}

// A signal to the service: to its process group after `+` (or always, for
// P C K) if it leads one, else to the process alone; never to supervise's
// own group.
void send_to(int sig, bool group) {
  if (group && ::getpgid(sv.pid) == sv.pid && sv.pid != ::getpgrp())
    ::kill(-sv.pid, sig);
  else
    ::kill(sv.pid, sig);
}
void send(int sig) { send_to(sig, sv.group); }

// After an exit: down (or, when ./finish runs, down to svstat), supervise
// exits after svc -x, else the service restarts if wanted up.
void after_exit() {
  announce();
  if (sv.exiting || sv.phase != down) return;
  if (sv.want == Want::up) start();
}

// Actions. Each is called for one state; `sig` is the row's signal.
void ignore(int) {}
void note(int) { announce(); }
void want_up(int) { sv.want = Want::up; sv.failed = false; announce(); }
void want_up_start(int) { want_up(0); start(); }
void want_once(int) { sv.want = Want::once; announce(); }
void want_once_start(int) { want_once(0); start(); }
void want_down(int) { sv.want = Want::down; announce(); }
// The down-signal (TERM unless ./down-signal says), then CONT so that a
// paused service sees it; with ./timeout-kill, a KILL at the deadline.
void want_down_stop(int) {
  sv.want = Want::down;
  send(down_signal());
  send(SIGCONT);
  sv.paused = false;
  std::uint64_t ms = setting_ms("timeout-kill", 0);
  if (ms && sv.due[kill] == dt::mono_never) {
    sv.due[kill] = dt::mono_now() + static_cast<dt::mono_t>(ms) * dt::mono_ms;
    sv.kill_group = sv.group;
  }
  if (sv.extended) sv.stopping = true;
  announce();
}
void stop_paused(int sig) { sv.paused = true; announce(); send(sig); }
void cont_resumed(int sig) { sv.paused = false; announce(); send(sig); }
void send_signal(int sig) { send(sig); }
void quit(int) { sv.exiting = true; announce(); }
// Beyond 0.76.
void to_group(int) { sv.group = true; }
void to_process(int) { sv.group = false; }
void ignore_rest(int) { sv.ignoring = true; }
// r: the down-signal, then CONT; the want stays, so a service wanted up
// restarts.
void restart(int) {
  send(down_signal());
  send(SIGCONT);
  sv.paused = false;
  if (sv.extended) sv.stopping = true;
  announce();
}
void group_stop(int) { sv.paused = true; announce(); send_to(SIGSTOP, true); }
void group_cont(int) { sv.paused = false; announce(); send_to(SIGCONT, true); }
void group_kill(int) { send_to(SIGKILL, true); }
// ./down made or removed by supervise (s6's D U Q): a failure is a warning
// and the letter's want change still happens.
void make_down() {
  int fd = dt::open_retry(dt::sv_down, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd == -1) dt::warn_sys("unable to create ", sv.dir, "/down");
  else ::close(fd);
}
void remove_down() {
  if (::unlink(dt::sv_down) == -1 && errno != ENOENT) dt::warn_sys("unable to remove ", sv.dir, "/down");
}
void down_file_down(int) { make_down(); want_down(0); }
void down_file_stop(int) { make_down(); want_down_stop(0); }
void up_file_up(int) { remove_down(); want_up(0); }
void up_file_start(int) { remove_down(); want_up_start(0); }
void once_file(int) { make_down(); want_once(0); }

// ./run exited: ./finish if there is one, else down.
void run_exited(int) {
  sv.run_pid = sv.pid;
  sv.phase = down;
  sv.pid = 0;
  sv.paused = false;
  sv.stopping = false;
  sv.ready_active = sv.ready = false;
  sv.notify.reset();
  sv.due[kill] = dt::mono_never;
  sv.when = dt::taia_now();
  start_finish();
  sv.adopted = false;
  sv.pidfd.reset();
  after_exit();
}
// ./finish exited: 125 means do not restart (s6).
void finish_exited(int) {
  sv.phase = down;
  sv.pid = 0;
  sv.due[finish] = dt::mono_never;
  if (!dt::wait_crashed(sv.wstat) && dt::wait_exitcode(sv.wstat) == 125) {
    sv.want = Want::down;
    sv.failed = true;
  }
  after_exit();
}
void became_ready(int) {
  sv.ready = true;
  sv.notify.reset();
  announce();
}
// The hold is over: nothing to do but a pending retry of a failed fork.
void hold_over(int) {
  sv.due[hold] = dt::mono_never;
  if (sv.retry_start) {
    sv.retry_start = false;
    start();
  }
}
// ./timeout-kill: KILL (and CONT) to the target of the d, again in 5 s.
void kill_due(int) {
  send_to(SIGKILL, sv.kill_group);
  send_to(SIGCONT, sv.kill_group);
  sv.due[kill] = dt::mono_now() + kill_repeat;
}
void finish_due(int) {
  dt::warn("finish script lifetime reached maximum value - sending it a SIGKILL");
  ::kill(sv.pid, SIGKILL);
  sv.due[finish] = dt::mono_never;
}

// Events other than control letters (their rows have letter 0).
enum class Event { letter, run_exit, finish_exit, ready, hold_end, kill_end, finish_end };

using Action = void (*)(int);
struct Row {
  Event event;
  char letter;
  Action in[phase_count];  // by state: down, up, finishing
  int sig;
};
// Every state, every event, every way out. Letters not in the table are
// ignored; an event is handled only in the states where it can happen.
// While ./finish runs there is no process to signal, and u d o O x only
// record the want.
constexpr Row rows[] = {
    // event          letter  service down     service up      ./finish runs   signal
    {Event::letter,   'u',   {want_up_start,   want_up,        want_up},       0},
    {Event::letter,   'd',   {want_down,       want_down_stop, want_down},     0},
    {Event::letter,   'o',   {want_once_start, want_once,      want_once},     0},
    {Event::letter,   'p',   {note,            stop_paused,    ignore},        SIGSTOP},
    {Event::letter,   'c',   {note,            cont_resumed,   ignore},        SIGCONT},
    {Event::letter,   'h',   {ignore,          send_signal,    ignore},        SIGHUP},
    {Event::letter,   'a',   {ignore,          send_signal,    ignore},        SIGALRM},
    {Event::letter,   'i',   {ignore,          send_signal,    ignore},        SIGINT},
    {Event::letter,   't',   {ignore,          send_signal,    ignore},        SIGTERM},
    {Event::letter,   'k',   {ignore,          send_signal,    ignore},        SIGKILL},
    {Event::letter,   'x',   {quit,            quit,           quit},          0},
    // beyond 0.76 (0.76 ignores these bytes)
    {Event::letter,   'q',   {ignore,          send_signal,    ignore},        SIGQUIT},
    {Event::letter,   '1',   {ignore,          send_signal,    ignore},        SIGUSR1},
    {Event::letter,   '2',   {ignore,          send_signal,    ignore},        SIGUSR2},
    {Event::letter,   'w',   {ignore,          send_signal,    ignore},        SIGWINCH},
    {Event::letter,   'y',   {ignore,          send_signal,    ignore},        SIGWINCH},
    {Event::letter,   'b',   {ignore,          send_signal,    ignore},        SIGABRT},
    {Event::letter,   'r',   {ignore,          restart,        ignore},        0},
    {Event::letter,   'O',   {want_once,       want_once,      want_once},     0},
    {Event::letter,   'Q',   {once_file,       once_file,      once_file},     0},
    {Event::letter,   'D',   {down_file_down,  down_file_stop, down_file_down}, 0},
    {Event::letter,   'U',   {up_file_start,   up_file_up,     up_file_up},    0},
    {Event::letter,   'P',   {ignore,          group_stop,     ignore},        0},
    {Event::letter,   'C',   {ignore,          group_cont,     ignore},        0},
    {Event::letter,   'K',   {ignore,          group_kill,     ignore},        0},
    {Event::letter,   '+',   {to_group,        to_group,       to_group},      0},
    {Event::letter,   '=',   {to_process,      to_process,     to_process},    0},
    {Event::letter,   'l',   {ignore,          ignore,         ignore},        0},
    {Event::letter,   'L',   {ignore_rest,     ignore_rest,    ignore_rest},   0},
    // exits (seen only when no hold is on, as 0.76 blocks SIGCHLD during
    // its pause); then the restart, if wanted up
    {Event::run_exit,    0,  {ignore,          run_exited,     ignore},        0},
    {Event::finish_exit, 0,  {ignore,          ignore,         finish_exited}, 0},
    // the first newline on the notification-fd pipe
    {Event::ready,       0,  {ignore,          became_ready,   ignore},        0},
    // deadlines
    {Event::hold_end,    0,  {hold_over,       hold_over,      hold_over},     0},
    {Event::kill_end,    0,  {ignore,          kill_due,       ignore},        0},
    {Event::finish_end,  0,  {ignore,          ignore,         finish_due},    0},
};

void handle(Event e, char letter = 0) {
  for (const Row& r : rows)
    if (r.event == e && r.letter == letter) return r.in[sv.phase](r.sig);
}

void on_sigchld(int) { dt::selfpipe_notify(); }

// The next deadline.
dt::mono_t next_due() {
  dt::mono_t d = dt::mono_never;
  for (dt::mono_t t : sv.due) d = dt::mono_min(d, t);
  return d;
}

// Wait for a child's exit, a control letter, the readiness pipe or the
// next deadline. SIGCHLD is caught only here, and not during a hold.
void wait_event() {
  struct pollfd p[4];
  int n = 0;
  bool held = holding();
  if (!held) {
    p[n++] = {dt::selfpipe_fd(), POLLIN, 0};
    // Deliberate difference: when control is not a FIFO (a regular file put
    // there by hand) it reads EOF for ever; the reference then spins at full
    // CPU. We look at it once a second instead.
    if (!sv.control_eof) p[n++] = {sv.control.get(), POLLIN, 0};
  }
  if (sv.notify) p[n++] = {sv.notify.get(), POLLIN, 0};
  if (sv.pidfd && !held) p[n++] = {sv.pidfd.get(), POLLIN, 0};
  dt::mono_t due = next_due();
  if (sv.control_eof && !held) due = dt::mono_min(due, dt::mono_now() + dt::mono_s);
  if (!held) dt::sig_unblock(SIGCHLD);
  int r = ::poll(p, static_cast<nfds_t>(n), dt::poll_timeout(due, dt::mono_now()));
  int e = errno;
  if (!held) dt::sig_block(SIGCHLD);
  // A persistent poll error (EINVAL, ENOMEM) must not spin: say so and wait
  // a second.
  if (r == -1 && e != EINTR) {
    errno = e;
    dt::warn_sys("unable to poll for ", sv.dir, ", sleeping 1 second");
    dt::sleep_until(dt::mono_now() + dt::mono_s);
  }
  if (!held) dt::selfpipe_drain();
}

// What ./run wrote on its notification-fd: ready at the first newline;
// end of file (or an error) without one: never ready for this run.
void read_notify() {
  if (!sv.notify) return;
  char buf[256];
  ssize_t r = dt::read_retry(sv.notify.get(), buf, sizeof buf);
  if (r > 0 && std::memchr(buf, '\n', static_cast<std::size_t>(r))) return handle(Event::ready);
  if (r == 0 || (r == -1 && errno != EAGAIN)) sv.notify.reset();
}

void expire_timers() {
  dt::mono_t now = dt::mono_now();
  if (sv.due[hold] <= now) handle(Event::hold_end);
  if (sv.due[kill] <= now) handle(Event::kill_end);
  if (sv.due[finish] <= now) handle(Event::finish_end);
}

// Has the adopted ./run exited? (Its new parent reaps it, not we.)
bool adopted_gone() {
  if (!sv.pidfd) return false;
  struct pollfd p = {sv.pidfd.get(), POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

void reap() {
  if (sv.phase == up && adopted_gone()) {
    sv.wstat = 0;
    return handle(Event::run_exit);
  }
  for (;;) {
    pid_t r = dt::wait_nohang(&sv.wstat);
    if (r <= 0) return;
    if (sv.phase == up && r == sv.pid) return handle(Event::run_exit);
    if (sv.phase == finishing && r == sv.pid) return handle(Event::finish_exit);
    // not ours: a child inherited across exec
  }
}

void read_control() {
  char c;
  ssize_t r = dt::read_retry(sv.control.get(), &c, 1);
  if (r == 1) {
    // The scope of `+` and `L` is what was in the FIFO with this byte.
    int left = 0;
    bool last = ::ioctl(sv.control.get(), FIONREAD, &left) == 0 && left == 0;
    if (c == 'l') sv.ignoring = false;
    if (!sv.ignoring) handle(Event::letter, c);
    if (last) sv.group = sv.ignoring = false;
  }
  // End of file (control is not a FIFO) or an error other than "nothing
  // there": looked at once a second from now on, so it cannot spin.
  if (r == 0 || (r == -1 && errno != EAGAIN)) sv.control_eof = true;
}

// One pass of 0.76's loop: wait, reap (restarting the service), one control
// byte. A start holds the loop where it is; when the hold is over the pass
// goes on from there, so a letter and an exit are taken in 0.76's order.
void run_loop() {
  for (;;) {
    if (sv.exiting && sv.phase == down) return;
    wait_event();
    read_notify();
    expire_timers();
    if (holding()) continue;
    if (!sv.resume_control) {
      reap();
      if (sv.exiting && sv.phase == down) return;
      if (holding()) {  // reap restarted the service
        sv.resume_control = true;
        continue;
      }
    }
    sv.resume_control = false;
    read_control();
  }
}

// Beyond 0.76: the ./run that a killed supervise left running, if the old
// record names it, it is the very process started then (start time), and it
// still works below this directory: watched, not started again. Any doubt:
// start as 0.76 does (which would make a second copy).
void adopt() {
  char buf[dt::status_ext_size];
  ssize_t r = dt::sv_read_status(buf, sizeof buf);
  if (r < static_cast<ssize_t>(dt::status_size)) return;
  dt::Status old = dt::status_unpack(buf, static_cast<std::size_t>(r));
  if (old.pid == 0) return;
  dt::ProcCheck why;
  int fd = dt::proc_adopt(static_cast<pid_t>(old.pid), old.when, AT_FDCWD, why);
  if (fd == -1) return;
  sv.pidfd.reset(fd);
  sv.adopted = true;
  sv.phase = up;
  sv.pid = static_cast<pid_t>(old.pid);
  sv.when = old.when;
  sv.paused = old.paused;
}

// Debian's patch to 0.76 (our package replaces Debian's, whose
// update-service links supervise -> /var/lib/supervise/NAME): when
// ./supervise is a symbolic link, make its target (mode 0700, the last
// component only; failures show at the lock). A readlink failure other
// than "not a symbolic link" is fatal, worded as Debian's supervise words
// it (with neither "supervise: " nor "fatal: " in front).
void follow_link() {
  char target[4096];  // start-up only: the stack, not a static buffer
  ssize_t r = ::readlink("supervise", target, sizeof target - 1);
  if (r == -1 && errno == EINVAL) return;
  if (r == -1 || r == static_cast<ssize_t>(sizeof target - 1)) {
    if (r != -1) errno = ENAMETOOLONG;
    const char* why = dt::error_str(errno);
    char msg[128];
    std::size_t n = 0;
    for (const char* p : {"unable to readlink ./supervise: ", why, "\n"})
      for (; *p && n < sizeof msg; ++p) msg[n++] = *p;
    dt::write_all(2, msg, n);
    ::_exit(dt::exit_temp);
  }
  target[r] = 0;
  ::mkdir(target, 0700);
}

// Start-up, in the reference's order: a second supervise on the same
// directory stops at the lock and touches nothing else.
void setup() {
  for (dt::mono_t& d : sv.due) d = dt::mono_never;
  if (dt::selfpipe_init() == -1) dt::die_sys(dt::exit_temp, "unable to create pipe for ", sv.dir);
  dt::sig_block(SIGCHLD);
  dt::sig_catch(SIGCHLD, on_sigchld);
  if (::chdir(sv.dir) == -1) dt::die_sys(dt::exit_temp, "unable to chdir to ", sv.dir);

  struct stat st;
  if (::stat(dt::sv_down, &st) == 0)
    sv.want = Want::down;
  else if (errno != ENOENT)
    dt::die_sys(dt::exit_temp, "unable to stat ", sv.dir, "/down");

  if (::mkdir("supervise", 0700) == -1 && errno == EEXIST) follow_link();  // other failures show at the lock
  int fd = dt::open_append("supervise/lock");
  sv.lock.reset(fd);
  if (fd == -1 || dt::lock_exnb(fd) == -1) dt::die_sys(dt::exit_temp, "unable to acquire ", sv.dir, "/supervise/lock");
  dt::coe(fd);

  ::mkfifo(dt::sv_control, 0600);  // may exist already
  sv.control.reset(dt::open_read(dt::sv_control));
  if (!sv.control) dt::die_sys(dt::exit_temp, "unable to read ", sv.dir, "/", dt::sv_control);
  dt::coe(sv.control.get());
  dt::ndelay_on(sv.control.get());
  sv.control_keep.reset(dt::open_write(dt::sv_control));
  if (!sv.control_keep) dt::die_sys(dt::exit_temp, "unable to write ", sv.dir, "/", dt::sv_control);
  dt::coe(sv.control_keep.get());

  check_extended();
  sv.when = dt::taia_now();
  adopt();
  announce();

  ::mkfifo(dt::sv_ok, 0600);
  sv.ok.reset(dt::open_read(dt::sv_ok));
  if (!sv.ok) dt::die_sys(dt::exit_temp, "unable to read ", sv.dir, "/", dt::sv_ok);
  dt::coe(sv.ok.get());
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "supervise";
  if (argc != 2) dt::die_usage("supervise dir");
  sv.dir = argv[1];
  setup();
  if (sv.want == Want::up && sv.phase == down) start();
  announce();
  run_loop();
  announce();
  return 0;
}

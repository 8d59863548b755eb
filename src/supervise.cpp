// supervise s: start s/run, restart it when it exits, obey svc through
// s/supervise/control, and keep s/supervise/status up to date.
//
// Everything lives in fixed-size static state: nothing is allocated after
// start-up. The lifecycle is the table `rows` below: for each control letter,
// what happens when the service is down and when it is up.
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/lock.hpp"
#include "dt/sig.hpp"
#include "dt/status.hpp"
#include "dt/svdir.hpp"
#include "dt/svstatus.hpp"
#include "dt/tai.hpp"
#include "dt/wait.hpp"

extern char** environ;

namespace {

// The want byte of the status record: 'u', 'd', or NUL after svc -o.
enum class Want : char { up = 'u', down = 'd', once = 0 };

struct Service {
  const char* dir = nullptr;
  pid_t pid = 0;       // 0: down
  dt::Taia when;       // last start or exit (first: start-up)
  Want want = Want::up;
  bool paused = false;  // svc -p sent, no -c since; only while up
  bool exiting = false;  // svc -x: exit as soon as the service is down
  dt::Fd lock;
  dt::Fd control;       // read end, non-blocking
  dt::Fd control_keep;  // write end, held so the reader never sees EOF
  dt::Fd ok;            // read end: svok can open ok while we run
  bool control_eof = false;  // control is not a FIFO (see wait_event)
};
Service sv;

void announce() {
  dt::Status st;
  st.when = sv.when;
  st.pid = static_cast<std::uint32_t>(sv.pid);
  st.paused = sv.paused;
  st.want = static_cast<char>(sv.want);
  switch (dt::status_write(st)) {
    case dt::StatusStep::done: break;
    case dt::StatusStep::open: dt::warn_sys("unable to open ", sv.dir, "/", dt::sv_status_new); break;
    case dt::StatusStep::write: dt::warn_sys("unable to write ", sv.dir, "/", dt::sv_status_new); break;
    case dt::StatusStep::rename:
      dt::warn_sys("unable to rename ", sv.dir, "/", dt::sv_status_new, " to status");
      break;
  }
}

// Sleep without handling anything: SIGCHLD stays blocked, control waits.
void deep_sleep(int seconds) {
  struct timespec end;
  ::clock_gettime(CLOCK_MONOTONIC, &end);
  end.tv_sec += seconds;
  for (;;) {
    struct timespec now;
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    long ns = (end.tv_sec - now.tv_sec) * 1000000000L + (end.tv_nsec - now.tv_nsec);
    if (ns <= 0) return;
    long ms = (ns + 999999) / 1000000;  // rounded up: never less than asked
    ::poll(nullptr, 0, static_cast<int>(ms));
  }
}

void child_exec() {
  dt::sig_default(SIGCHLD);
  dt::sig_unblock(SIGCHLD);
  char run[] = "./run";
  char* argv[] = {run, nullptr};
  ::execve(run, argv, environ);
  dt::die_sys(dt::exit_temp, "unable to start ", sv.dir, "/run");
}

// Start ./run, then pause a second whatever happens, so a run that exits at
// once restarts at most once a second (the reference does exactly this).
void start() {
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", sv.dir, ", sleeping 60 seconds");
    deep_sleep(60);
    dt::selfpipe_notify();  // wake the loop, which tries again
    return;
  }
  if (pid == 0) child_exec();
  sv.pid = pid;
  sv.paused = false;
  sv.when = dt::taia_now();
  announce();
  deep_sleep(1);
}

void send(int sig) { ::kill(sv.pid, sig); }

// Actions. Each is called for one state; `sig` is the row's signal.
void ignore(int) {}
void note(int) { announce(); }
void want_up(int) { sv.want = Want::up; announce(); }
void want_up_start(int) { want_up(0); start(); }
void want_once(int) { sv.want = Want::once; announce(); }
void want_once_start(int) { want_once(0); start(); }
void want_down(int) { sv.want = Want::down; announce(); }
// TERM, then CONT so that a paused service sees the TERM.
void want_down_stop(int) {
  sv.want = Want::down;
  send(SIGTERM);
  send(SIGCONT);
  sv.paused = false;
  announce();
}
void stop_paused(int sig) { sv.paused = true; announce(); send(sig); }
void cont_resumed(int sig) { sv.paused = false; announce(); send(sig); }
void send_signal(int sig) { send(sig); }
void quit(int) { sv.exiting = true; announce(); }

using Action = void (*)(int);
struct Row {
  char letter;
  Action down;  // the service is not running
  Action up;    // the service is running (perhaps paused)
  int sig;
};
// Letters not in the table are ignored.
constexpr Row rows[] = {
    // letter  service down     service up      signal
    {'u',      want_up_start,   want_up,        0},
    {'d',      want_down,       want_down_stop, 0},
    {'o',      want_once_start, want_once,      0},
    {'p',      note,            stop_paused,    SIGSTOP},
    {'c',      note,            cont_resumed,   SIGCONT},
    {'h',      ignore,          send_signal,    SIGHUP},
    {'a',      ignore,          send_signal,    SIGALRM},
    {'i',      ignore,          send_signal,    SIGINT},
    {'t',      ignore,          send_signal,    SIGTERM},
    {'k',      ignore,          send_signal,    SIGKILL},
    {'x',      quit,            quit,           0},
};
// The two events outside the table:
//   the service exits  -> down: pid 0, new timestamp; supervise exits if
//                         svc -x was given, else restarts it if wanted up;
//   down, wanted up    -> start (again after a failed fork).

void control_letter(char c) {
  for (const Row& r : rows)
    if (r.letter == c) return (sv.pid ? r.up : r.down)(r.sig);
}

void on_sigchld(int) { dt::selfpipe_notify(); }

// Wait for a child's exit or a control letter. SIGCHLD is caught only here.
void wait_event() {
  struct pollfd p[2];
  p[0] = {dt::selfpipe_fd(), POLLIN, 0};
  p[1] = {sv.control.get(), POLLIN, 0};
  // Deliberate difference: when control is not a FIFO (a regular file put
  // there by hand) it reads EOF for ever; the reference then spins at full
  // CPU. We look at it once a second instead.
  int n = sv.control_eof ? 1 : 2;
  dt::sig_unblock(SIGCHLD);
  ::poll(p, n, sv.control_eof ? 1000 : -1);
  dt::sig_block(SIGCHLD);
  dt::selfpipe_drain();
}

// Returns false when supervise should exit.
bool reap() {
  for (;;) {
    int status;
    pid_t r = dt::wait_nohang(&status);
    if (r <= 0) return true;
    if (r != sv.pid) continue;  // not ours: a child inherited across exec
    sv.pid = 0;
    sv.paused = false;
    sv.when = dt::taia_now();
    announce();
    return !sv.exiting;
  }
}

void read_control() {
  char c;
  ssize_t r = dt::read_retry(sv.control.get(), &c, 1);
  if (r == 1) control_letter(c);
  if (r == 0) sv.control_eof = true;
}

void run_loop() {
  for (;;) {
    if (sv.exiting && !sv.pid) return;
    wait_event();
    if (!reap()) return;
    if (!sv.pid && sv.want == Want::up) start();
    read_control();
  }
}

// Start-up, in the reference's order: a second supervise on the same
// directory stops at the lock and touches nothing else.
void setup() {
  if (dt::selfpipe_init() == -1) dt::die_sys(dt::exit_temp, "unable to create pipe for ", sv.dir);
  dt::sig_block(SIGCHLD);
  dt::sig_catch(SIGCHLD, on_sigchld);
  if (::chdir(sv.dir) == -1) dt::die_sys(dt::exit_temp, "unable to chdir to ", sv.dir);

  struct stat st;
  if (::stat(dt::sv_down, &st) == 0)
    sv.want = Want::down;
  else if (errno != ENOENT)
    dt::die_sys(dt::exit_temp, "unable to stat ", sv.dir, "/down");

  ::mkdir("supervise", 0700);  // failure shows at the lock
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

  sv.when = dt::taia_now();
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
  if (sv.want == Want::up) start();
  announce();
  run_loop();
  announce();
  return 0;
}

// supervise s: start s/run, restart it when it exits, obey svc through
// s/supervise/control, and keep s/supervise/status up to date.
//
// Everything lives in fixed-size static state: nothing is allocated after
// start-up. The lifecycle is the table `rows` below: for each event (a
// control letter, the service's exit, a deadline), what happens in each
// state. One loop (run_loop) waits for the next event on a 64-bit monotonic
// clock; there are no sleeps.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>

#include "dt/clock.hpp"
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

// The states of the service (the columns of the table).
enum Phase { down, up, phase_count };

// Deadlines. hold: 0.76 pauses after every start (1 s) and after a failed
// fork (60 s) and handles nothing meanwhile; control letters and the exit of
// the service wait, as in 0.76.
enum Timer { hold, timer_count };

struct Service {
  const char* dir = nullptr;
  Phase phase = down;
  pid_t pid = 0;        // the running ./run, while up
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
  dt::mono_t due[timer_count] = {dt::mono_never};
  dt::Fd lock;
  dt::Fd control;       // read end, non-blocking
  dt::Fd control_keep;  // write end, held so the reader never sees EOF
  dt::Fd ok;            // read end: svok can open ok while we run
  bool control_eof = false;  // control is not a FIFO (see wait_event)
};
Service sv;

bool holding() { return sv.due[hold] != dt::mono_never; }

void announce() {
  dt::Status st;
  st.when = sv.when;
  st.pid = static_cast<std::uint32_t>(sv.phase == up ? sv.pid : 0);
  st.paused = sv.phase == up && sv.paused;
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

void child_exec() {
  dt::sig_default(SIGCHLD);
  dt::sig_unblock(SIGCHLD);
  char run[] = "./run";
  char* argv[] = {run, nullptr};
  ::execve(run, argv, environ);
  dt::die_sys(dt::exit_temp, "unable to start ", sv.dir, "/run");
}

// Start ./run, then hold a second whatever happens, so a run that exits at
// once restarts at most once a second (the reference does exactly this).
// A failed fork holds 60 seconds and tries again (0.76 retries even when
// the start came from svc -o).
void start() {
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", sv.dir, ", sleeping 60 seconds");
    sv.retry_start = true;
    sv.due[hold] = dt::mono_now() + 60 * dt::mono_s;
    return;
  }
  if (pid == 0) child_exec();
  sv.phase = up;
  sv.pid = pid;
  sv.paused = false;
  sv.when = dt::taia_now();
  announce();
  sv.due[hold] = dt::mono_now() + dt::mono_s;
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

// The service has exited: down, new timestamp.
void exited() {
  sv.phase = down;
  sv.pid = 0;
  sv.paused = false;
  sv.when = dt::taia_now();
  announce();
}

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
// Beyond 0.76.
void to_group(int) { sv.group = true; }
void to_process(int) { sv.group = false; }
void ignore_rest(int) { sv.ignoring = true; }
// r: the down-signal, then CONT; the want stays, so a service wanted up
// restarts.
void restart(int) {
  send(SIGTERM);
  send(SIGCONT);
  sv.paused = false;
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
// ./run exited: restarted if wanted up (unless svc -x was given: then the
// loop ends, see run_loop).
void run_exited(int) {
  exited();
  if (sv.exiting) return;
  if (sv.want == Want::up) start();
}
// The hold is over: nothing to do but a pending retry of a failed fork.
void hold_over(int) {
  sv.due[hold] = dt::mono_never;
  if (sv.retry_start) {
    sv.retry_start = false;
    start();
  }
}

// Events other than control letters (their rows have letter 0).
enum class Event { letter, run_exit, hold_end };

using Action = void (*)(int);
struct Row {
  Event event;
  char letter;
  Action in[phase_count];  // by state: down, up
  int sig;
};
// Every state, every event, every way out. Letters not in the table are
// ignored; an event is handled only in the states where it can happen.
constexpr Row rows[] = {
    // event           letter  service down     service up      signal
    {Event::letter,    'u',    {want_up_start,   want_up},        0},
    {Event::letter,    'd',    {want_down,       want_down_stop}, 0},
    {Event::letter,    'o',    {want_once_start, want_once},      0},
    {Event::letter,    'p',    {note,            stop_paused},    SIGSTOP},
    {Event::letter,    'c',    {note,            cont_resumed},   SIGCONT},
    {Event::letter,    'h',    {ignore,          send_signal},    SIGHUP},
    {Event::letter,    'a',    {ignore,          send_signal},    SIGALRM},
    {Event::letter,    'i',    {ignore,          send_signal},    SIGINT},
    {Event::letter,    't',    {ignore,          send_signal},    SIGTERM},
    {Event::letter,    'k',    {ignore,          send_signal},    SIGKILL},
    {Event::letter,    'x',    {quit,            quit},           0},
    // beyond 0.76 (0.76 ignores these bytes)
    {Event::letter,    'q',    {ignore,          send_signal},    SIGQUIT},
    {Event::letter,    '1',    {ignore,          send_signal},    SIGUSR1},
    {Event::letter,    '2',    {ignore,          send_signal},    SIGUSR2},
    {Event::letter,    'w',    {ignore,          send_signal},    SIGWINCH},
    {Event::letter,    'y',    {ignore,          send_signal},    SIGWINCH},
    {Event::letter,    'b',    {ignore,          send_signal},    SIGABRT},
    {Event::letter,    'r',    {ignore,          restart},        0},
    {Event::letter,    'O',    {want_once,       want_once},      0},
    {Event::letter,    'Q',    {once_file,       once_file},      0},
    {Event::letter,    'D',    {down_file_down,  down_file_stop}, 0},
    {Event::letter,    'U',    {up_file_start,   up_file_up},     0},
    {Event::letter,    'P',    {ignore,          group_stop},     0},
    {Event::letter,    'C',    {ignore,          group_cont},     0},
    {Event::letter,    'K',    {ignore,          group_kill},     0},
    {Event::letter,    '+',    {to_group,        to_group},       0},
    {Event::letter,    '=',    {to_process,      to_process},     0},
    {Event::letter,    'l',    {ignore,          ignore},         0},
    {Event::letter,    'L',    {ignore_rest,     ignore_rest},    0},
    // ./run exits (seen only when no hold is on, as 0.76 blocks SIGCHLD
    // during its pause)
    {Event::run_exit,  0,      {ignore,          run_exited},     0},
    // the hold's deadline
    {Event::hold_end,  0,      {hold_over,       hold_over},      0},
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

// Wait for a child's exit, a control letter or the next deadline. SIGCHLD
// is caught only here, and not during a hold.
void wait_event() {
  struct pollfd p[2];
  int n = 0;
  if (!holding()) {
    p[n++] = {dt::selfpipe_fd(), POLLIN, 0};
    // Deliberate difference: when control is not a FIFO (a regular file put
    // there by hand) it reads EOF for ever; the reference then spins at full
    // CPU. We look at it once a second instead.
    if (!sv.control_eof) p[n++] = {sv.control.get(), POLLIN, 0};
  }
  dt::mono_t due = next_due();
  if (sv.control_eof && !holding()) due = dt::mono_min(due, dt::mono_now() + dt::mono_s);
  if (!holding()) dt::sig_unblock(SIGCHLD);
  int r = ::poll(p, static_cast<nfds_t>(n), dt::poll_timeout(due, dt::mono_now()));
  int e = errno;
  if (!holding()) dt::sig_block(SIGCHLD);
  // A persistent poll error (EINVAL, ENOMEM) must not spin: say so and wait
  // a second.
  if (r == -1 && e != EINTR) {
    errno = e;
    dt::warn_sys("unable to poll for ", sv.dir, ", sleeping 1 second");
    dt::sleep_until(dt::mono_now() + dt::mono_s);
  }
  if (!holding()) dt::selfpipe_drain();
}

void expire_timers() {
  dt::mono_t now = dt::mono_now();
  if (sv.due[hold] <= now) handle(Event::hold_end);
}

void reap() {
  for (;;) {
    int status;
    pid_t r = dt::wait_nohang(&status);
    if (r <= 0) return;
    if (sv.phase == up && r == sv.pid) return handle(Event::run_exit);
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

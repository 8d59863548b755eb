// fghack child: run child with many extra descriptors writing to a pipe, read
// and discard what comes through it, and exit when child has exited and every
// copy of the pipe has been closed: a daemon that puts itself in the
// background still holds a copy, so fghack (and supervise) stays with it.
#include <unistd.h>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/pathexec.hpp"
#include "dt/wait.hpp"

namespace {

// As the reference: 30 copies of the write end besides the original (on the
// lowest free descriptors), a failing dup ignored.
constexpr int extra_copies = 30;

[[noreturn]] void run_child(int pi[2], char** argv) {
  ::close(pi[0]);
  for (int i = 0; i < extra_copies; ++i) {
    int r = ::dup(pi[1]);
    (void)r;
  }
  dt::pathexec_run(argv[0], argv, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", argv[0]);
}

// Until every writer has gone. The reference also stops at a read error.
void drain(int fd) {
  char buf[4096];
  while (dt::read_retry(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "fghack";
  if (argc < 2) dt::die_usage("fghack child");
  int pi[2];
  if (::pipe(pi) == -1) dt::die_sys(dt::exit_temp, "unable to create pipe");
  pid_t pid = ::fork();
  if (pid == -1) dt::die_sys(dt::exit_temp, "unable to fork");
  if (pid == 0) run_child(pi, argv + 1);
  ::close(pi[1]);
  drain(pi[0]);
  int status;
  if (dt::wait_pid(pid, &status) == -1) dt::die_sys(dt::exit_temp, "wait failed");
  if (dt::wait_crashed(status)) dt::die(dt::exit_temp, "child crashed");
  return dt::wait_exitcode(status);
}

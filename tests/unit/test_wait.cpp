#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>

#include "dt/sig.hpp"
#include "dt/wait.hpp"

namespace {

pid_t child_exiting(int code) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(code);
  return pid;
}

pid_t child_killed(int sig) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    struct rlimit none {};
    ::setrlimit(RLIMIT_CORE, &none);  // no core file left behind
    dt::sig_default(sig);
    ::raise(sig);
    _exit(99);
  }
  return pid;
}

volatile sig_atomic_t alarms = 0;
void on_alarm(int) { alarms = alarms + 1; }

}  // namespace

TEST_CASE("wait_pid decodes exit codes") {
  for (int code : {0, 1, 3, 100, 111, 255}) {
    pid_t pid = child_exiting(code);
    int status = -1;
    REQUIRE(dt::wait_pid(pid, &status) == pid);
    CHECK_FALSE(dt::wait_crashed(status));
    CHECK(dt::wait_exitcode(status) == code);
  }
}

TEST_CASE("wait_pid decodes a crash and its signal") {
  for (int sig : {SIGKILL, SIGTERM, SIGSEGV, SIGABRT}) {
    pid_t pid = child_killed(sig);
    int status = 0;
    REQUIRE(dt::wait_pid(pid, &status) == pid);
    CHECK(dt::wait_crashed(status));
    CHECK(dt::wait_stopsig(status) == sig);
  }
}

TEST_CASE("wait_pid without such a child fails with ECHILD") {
  int status;
  CHECK(dt::wait_pid(1, &status) == -1);
  CHECK(errno == ECHILD);
}

TEST_CASE("wait_nohang: 0 while the child runs, its pid once it is gone") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(p[1]);
    char c;
    ssize_t r = ::read(p[0], &c, 1);  // until the parent closes its end
    _exit(r == 0 ? 7 : 8);
  }
  ::close(p[0]);
  int status = 0;
  CHECK(dt::wait_nohang(&status) == 0);
  ::close(p[1]);
  pid_t got = 0;
  for (int i = 0; i < 500 && got != pid; ++i) {
    got = dt::wait_nohang(&status);
    if (got == 0) ::usleep(10000);
  }
  CHECK(got == pid);
  CHECK(dt::wait_exitcode(status) == 7);
}

TEST_CASE("wait_pid goes on waiting after EINTR") {
  dt::sig_catch(SIGALRM, on_alarm);  // no SA_RESTART
  alarms = 0;
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::usleep(300000);
    _exit(5);
  }
  struct itimerval it {};
  it.it_value.tv_usec = 50000;
  ::setitimer(ITIMER_REAL, &it, nullptr);
  int status = 0;
  CHECK(dt::wait_pid(pid, &status) == pid);
  CHECK(alarms == 1);
  CHECK(dt::wait_exitcode(status) == 5);
  dt::sig_default(SIGALRM);
}

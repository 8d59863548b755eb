#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "dt/sig.hpp"

namespace {

volatile sig_atomic_t caught = 0;
void on_usr1(int) {
  caught = caught + 1;
  dt::selfpipe_notify();
}

bool readable(int fd) {
  struct pollfd p {};
  p.fd = fd;
  p.events = POLLIN;
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

bool pending(int sig) {
  sigset_t ss;
  sigemptyset(&ss);
  ::sigpending(&ss);
  return sigismember(&ss, sig) == 1;
}

bool blocked(int sig) {
  sigset_t ss;
  ::sigprocmask(SIG_BLOCK, nullptr, &ss);
  return sigismember(&ss, sig) == 1;
}

struct sigaction action(int sig) {
  struct sigaction sa {};
  ::sigaction(sig, nullptr, &sa);
  return sa;
}

// The self-pipe is process-wide: made once for all the cases here.
int selfpipe() {
  static int ok = dt::selfpipe_init();
  REQUIRE(ok == 0);
  return dt::selfpipe_fd();
}

}  // namespace

TEST_CASE("selfpipe: non-blocking, close-on-exec, notify then drain") {
  int fd = selfpipe();
  REQUIRE(fd >= 0);
  CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
  CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  dt::selfpipe_drain();
  CHECK_FALSE(readable(fd));
  dt::selfpipe_notify();
  CHECK(readable(fd));
  dt::selfpipe_drain();
  CHECK_FALSE(readable(fd));
}

TEST_CASE("selfpipe: notifying past the pipe's capacity never blocks") {
  int fd = selfpipe();
  errno = EINTR;
  for (int i = 0; i < 200000; ++i) dt::selfpipe_notify();
  CHECK(errno == EINTR);  // notify keeps errno, for use in handlers
  CHECK(readable(fd));
  dt::selfpipe_drain();
  CHECK_FALSE(readable(fd));
}

TEST_CASE("sig_catch installs a handler without SA_RESTART") {
  int fd = selfpipe();
  dt::selfpipe_drain();
  caught = 0;
  dt::sig_catch(SIGUSR1, on_usr1);
  struct sigaction sa = action(SIGUSR1);
  CHECK(sa.sa_handler == on_usr1);
  CHECK((sa.sa_flags & SA_RESTART) == 0);
  ::raise(SIGUSR1);
  CHECK(caught == 1);
  CHECK(readable(fd));
  dt::selfpipe_drain();

  SECTION("a blocking read is interrupted") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::usleep(100000);
      ::kill(parent, SIGUSR1);
      _exit(0);
    }
    char c;
    CHECK(::read(p[0], &c, 1) == -1);
    CHECK(errno == EINTR);
    ::waitpid(pid, nullptr, 0);
    ::close(p[0]);
    ::close(p[1]);
    dt::selfpipe_drain();
  }
  dt::sig_default(SIGUSR1);
}

TEST_CASE("sig_block holds a signal back until sig_unblock") {
  selfpipe();
  dt::selfpipe_drain();
  caught = 0;
  dt::sig_catch(SIGUSR1, on_usr1);
  dt::sig_block(SIGUSR1);
  CHECK(blocked(SIGUSR1));
  ::raise(SIGUSR1);
  CHECK(caught == 0);
  CHECK(pending(SIGUSR1));
  dt::sig_unblock(SIGUSR1);
  CHECK(caught == 1);
  CHECK_FALSE(pending(SIGUSR1));
  CHECK_FALSE(blocked(SIGUSR1));
  dt::selfpipe_drain();
  dt::sig_default(SIGUSR1);
}

TEST_CASE("sig_ignore and sig_default") {
  dt::sig_ignore(SIGUSR2);
  CHECK(action(SIGUSR2).sa_handler == SIG_IGN);
  ::raise(SIGUSR2);  // ignored: still here
  dt::sig_default(SIGUSR2);
  CHECK(action(SIGUSR2).sa_handler == SIG_DFL);
}

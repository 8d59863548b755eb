#include "dt/sig.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "dt/fd.hpp"

namespace dt {

static void set_handler(int sig, sig_handler h) {
  struct sigaction sa {};
  sa.sa_handler = h;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
  ::sigaction(sig, &sa, nullptr);
}

void sig_catch(int sig, sig_handler h) { set_handler(sig, h); }
void sig_ignore(int sig) { set_handler(sig, SIG_IGN); }
void sig_default(int sig) { set_handler(sig, SIG_DFL); }

static void mask(int how, int sig) {
  sigset_t ss;
  sigemptyset(&ss);
  sigaddset(&ss, sig);
  ::sigprocmask(how, &ss, nullptr);
}
void sig_block(int sig) { mask(SIG_BLOCK, sig); }
void sig_unblock(int sig) { mask(SIG_UNBLOCK, sig); }

static int selfpipe[2] = {-1, -1};

int selfpipe_init() {
  if (::pipe2(selfpipe, O_CLOEXEC | O_NONBLOCK) == -1) return -1;
  return 0;
}
int selfpipe_fd() { return selfpipe[0]; }
void selfpipe_notify() {
  int saved = errno;
  char c = 0;
  ssize_t r = ::write(selfpipe[1], &c, 1);
  (void)r;  // full pipe: a wake-up is already pending
  errno = saved;
}
void selfpipe_drain() {
  char buf[64];
  while (read_retry(selfpipe[0], buf, sizeof buf) > 0) {
  }
}

}  // namespace dt

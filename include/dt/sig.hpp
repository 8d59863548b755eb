// Signal helpers. Handlers are installed without SA_RESTART, as daemontools
// does, so a blocking call returns EINTR when a caught signal arrives.
#pragma once
#include <csignal>

namespace dt {

using sig_handler = void (*)(int);

void sig_catch(int sig, sig_handler h);
void sig_ignore(int sig);
void sig_default(int sig);
void sig_block(int sig);
void sig_unblock(int sig);

// The self-pipe trick: a signal handler calls selfpipe_notify(); the main
// loop polls selfpipe_fd() and calls selfpipe_drain(). Both ends are
// non-blocking and close-on-exec. Returns -1 and errno on failure.
int selfpipe_init();
int selfpipe_fd();
void selfpipe_notify();
void selfpipe_drain();

}  // namespace dt

// svc -udopchaitkx services: send each service's supervise the commands.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/sgetopt.hpp"
#include "dt/sig.hpp"
#include "dt/svdir.hpp"

namespace {

constexpr char letters[] = "udopchaitkx";
constexpr char usage_text[] =
    "svc options: u up, d down, o once, x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, k kill\n";

// The commands, each letter once, in the order first given (as 0.76 does:
// "-uu" writes "u", "-d -u -d" writes "du").
char commands[sizeof letters];
std::size_t ncommands = 0;

// After Getopt's "illegal option -- z"; 0.76 prints no "usage:" here.
[[noreturn]] void usage() {
  dt::write_all(2, usage_text, sizeof usage_text - 1);
  _exit(dt::exit_perm);
}

char** parse(char** argv) {
  dt::Getopt g(argv, letters);
  for (int c; (c = g.next()) != -1;) {
    if (c == '?') usage();
    if (!std::memchr(commands, c, ncommands)) commands[ncommands++] = static_cast<char>(c);
  }
  return g.rest();
}

void control(const char* service) {
  if (::chdir(service) == -1) return dt::warn_sys("unable to chdir to ", service);
  dt::Fd fd(dt::sv_open_control());
  if (!fd) {
    const char* why = dt::sv_error_str(errno);
    return dt::warn("unable to control ", service, ": ", why);
  }
  if (ncommands && !dt::write_all(fd.get(), commands, ncommands))
    dt::warn_sys("error writing commands to ", service);
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "svc";
  dt::sig_ignore(SIGPIPE);
  char** services = argc > 0 ? parse(argv) : argv;
  int cwd = dt::open_cwd();  // held until exit
  if (cwd == -1) dt::die_sys(dt::exit_temp, "unable to open current directory");
  for (; *services; ++services) {
    control(*services);
    if (::fchdir(cwd) == -1) dt::die_sys(dt::exit_temp, "unable to set directory");
  }
  return 0;
}

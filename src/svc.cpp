// svc -udopchaitkx services: send each service's supervise the commands.
// Beyond 0.76: -q -1 -2 -w -y -b -+ -= -r -O -D -U (each a usage error in
// 0.76, so no working 0.76 command line changes).
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/sgetopt.hpp"
#include "dt/sig.hpp"
#include "dt/svdir.hpp"

namespace {

constexpr char letters[] = "udopchaitkxq12wyb+=rODU";
// 0.76's line first, byte for byte; the second line is printed only where
// 0.76 gives the same usage error.
constexpr char usage_text[] =
    "svc options: u up, d down, o once, x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, k kill\n"
    "svc options beyond 0.76: q quit, 1 usr1, 2 usr2, w winch, y winch, b abrt, + to the group, = to the process,"
    " r restart, O once at most, D down and ./down, U up and no ./down\n";

// The commands in the order first given, each letter once within a segment
// (as 0.76 does: "-uu" writes "u", "-d -u -d" writes "du"). "+" and "="
// begin a segment when they change where signals go (to the process group
// after "+", back to the process after "="), so "-h+h" writes "h+h=": a
// write that leaves the group selected ends with "=", and the next writer
// does not inherit it.
std::string commands;
std::size_t segment = 0;  // where the current segment starts in commands
char target = '=';

void add(char c) {
  if (c == '+' || c == '=') {
    if (c == target) return;
    target = c;
    commands += c;
    segment = commands.size();
    return;
  }
  if (commands.find(c, segment) == std::string::npos) commands += c;
}

// After Getopt's "illegal option -- z"; 0.76 prints no "usage:" here.
[[noreturn]] void usage() {
  dt::write_all(2, usage_text, sizeof usage_text - 1);
  _exit(dt::exit_perm);
}

char** parse(char** argv) {
  dt::Getopt g(argv, letters);
  for (int c; (c = g.next()) != -1;) {
    if (c == '?') usage();
    add(static_cast<char>(c));
  }
  if (target == '+') add('=');
  return g.rest();
}

void control(const char* service) {
  if (::chdir(service) == -1) return dt::warn_sys("unable to chdir to ", service);
  dt::Fd fd(dt::sv_open_control());
  if (!fd) {
    const char* why = dt::sv_error_str(errno);
    return dt::warn("unable to control ", service, ": ", why);
  }
  if (!commands.empty() && !dt::write_all(fd.get(), commands.data(), commands.size()))
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

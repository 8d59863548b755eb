// svc -udopchaitkx services: send each service's supervise the commands.
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string_view>

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

[[noreturn]] void usage(char** argv, char c) {
  // 0.76 names the program by the last part of argv[0] here, unlike in
  // its other messages (a symlink "foo" says "foo: illegal option -- z").
  const char* slash = std::strrchr(argv[0], '/');
  dt::progname = slash ? slash + 1 : argv[0];
  dt::errmsg({"illegal option -- ", std::string_view(&c, 1)});
  dt::write_all(2, usage_text, sizeof usage_text - 1);
  _exit(dt::exit_perm);
}

char** parse(char** argv) {
  dt::Getopt g(argv, letters);
  g.report = false;
  for (int c; (c = g.next()) != -1;) {
    if (c == '?') usage(argv, g.problem());
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

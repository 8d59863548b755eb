// setlock [ -nNxX ] file program [ arg ... ]: open file for appending
// (creating it, mode 0600), take an exclusive flock on it and run program
// with that descriptor open, so the lock lasts as long as program (and any
// process it passes the descriptor to) keeps it.
#include <unistd.h>

#include <string_view>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/lock.hpp"
#include "dt/pathexec.hpp"
#include "dt/sgetopt.hpp"

namespace {

constexpr std::string_view usage = "setlock [ -nNxX ] file program [ arg ... ]";

struct Options {
  bool nodelay = false;  // -n: give up at once if the file is locked
  bool quiet = false;    // -x: exit 0 if the file cannot be opened or locked
};

// Options before the file, clustered or not; "--..." ends them, "-" is the
// file (dt::Getopt, as the reference's sgetopt).
char** parse(char** argv, Options& o) {
  dt::Getopt g(argv, "nNxX");
  for (int c; (c = g.next()) != -1;) {
    switch (c) {
      case 'n': o.nodelay = true; break;
      case 'N': o.nodelay = false; break;
      case 'x': o.quiet = true; break;
      case 'X': o.quiet = false; break;
      default: dt::die_usage(usage);
    }
  }
  return g.rest();
}

// Failing to open or lock: exit 0 silently under -x.
[[noreturn]] void fail(const Options& o, const char* what, const char* file) {
  if (o.quiet) _exit(0);
  dt::die_sys(dt::exit_temp, what, file);
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "setlock";
  Options o;
  if (argc < 1) dt::die_usage(usage);
  char** args = parse(argv, o);
  if (!args[0] || !args[1]) dt::die_usage(usage);
  const char* file = args[0];
  // Left open across exec on purpose: program holds the lock.
  int fd = dt::open_append(file);
  if (fd == -1) fail(o, "unable to open ", file);
  if ((o.nodelay ? dt::lock_exnb(fd) : dt::lock_ex(fd)) == -1) fail(o, "unable to lock ", file);
  dt::pathexec_run(args[1], args + 1, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", args[1]);
}

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

namespace {

constexpr std::string_view usage = "setlock [ -nNxX ] file program [ arg ... ]";

struct Options {
  bool nodelay = false;  // -n: give up at once if the file is locked
  bool quiet = false;    // -x: exit 0 if the file cannot be opened or locked
};

[[noreturn]] void illegal(char c) {
  dt::errmsg({"illegal option -- ", std::string_view(&c, 1)});
  dt::die_usage(usage);
}

// Options come before the file, clustered or not. As in the reference, an
// argument starting with "--" ends them (and is dropped); "-" is the file.
char** parse(char** argv, Options& o) {
  for (; *argv; ++argv) {
    const char* a = *argv;
    if (a[0] != '-' || a[1] == '\0') break;
    if (a[1] == '-') return argv + 1;
    for (const char* c = a + 1; *c; ++c) {
      switch (*c) {
        case 'n': o.nodelay = true; break;
        case 'N': o.nodelay = false; break;
        case 'x': o.quiet = true; break;
        case 'X': o.quiet = false; break;
        default: illegal(*c);
      }
    }
  }
  return argv;
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
  char** args = argc > 0 ? parse(argv + 1, o) : argv;
  if (!args[0] || !args[1]) dt::die_usage(usage);
  const char* file = args[0];
  // Left open across exec on purpose: program holds the lock.
  int fd = dt::open_append(file);
  if (fd == -1) fail(o, "unable to open ", file);
  if ((o.nodelay ? dt::lock_exnb(fd) : dt::lock_ex(fd)) == -1) fail(o, "unable to lock ", file);
  dt::pathexec_run(args[1], args + 1, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", args[1]);
}

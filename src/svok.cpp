// svok service: exit 0 if a supervise runs in service, 100 if not.
#include <unistd.h>

#include <cerrno>

#include "dt/error.hpp"
#include "dt/svdir.hpp"

int main(int argc, char** argv) {
  dt::progname = "svok";
  if (argc < 2) dt::die_usage("svok dir");
  if (::chdir(argv[1]) == -1) dt::die_sys(dt::exit_temp, "unable to chdir to ", argv[1]);
  if (dt::sv_open_ok() == -1) {
    // No supervise reading the pipe, or no pipe at all: not running.
    if (errno == ENXIO || errno == ENOENT) _exit(dt::exit_perm);
    dt::die_sys(dt::exit_temp, "unable to open ", argv[1], "/", dt::sv_ok);
  }
  return 0;
}

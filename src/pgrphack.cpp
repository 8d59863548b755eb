// pgrphack child: run child in a new process group.
#include <unistd.h>

#include "dt/error.hpp"
#include "dt/pathexec.hpp"

int main(int argc, char** argv) {
  dt::progname = "pgrphack";
  if (argc < 2) dt::die_usage("pgrphack child");
  ::setsid();
  dt::pathexec_run(argv[1], argv + 1, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", argv[1]);
}

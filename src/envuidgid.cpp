// envuidgid account child: run child with $UID and $GID set to account's
// uid and (primary) gid.
#include <pwd.h>
#include <unistd.h>

#include "dt/error.hpp"
#include "dt/fmt.hpp"
#include "dt/pathexec.hpp"

namespace {

void setenv_ulong(const char* name, unsigned long u) {
  char num[dt::fmt_ulong_max + 1];
  num[dt::fmt_ulong(num, u)] = '\0';
  dt::pathexec_env(name, num);
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "envuidgid";
  if (argc < 3) dt::die_usage("envuidgid account child");
  const passwd* pw = ::getpwnam(argv[1]);
  if (!pw) dt::die(dt::exit_temp, "unknown account ", argv[1]);
  // GID before UID: the order the reference leaves them in the environment.
  setenv_ulong("GID", pw->pw_gid);
  setenv_ulong("UID", pw->pw_uid);
  dt::pathexec(argv + 2);
  dt::die_sys(dt::exit_temp, "unable to run ", argv[2]);
}

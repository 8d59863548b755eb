// setuidgid account child: run child under account's uid and gid, with the
// gid as its only supplementary group.
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "dt/error.hpp"
#include "dt/pathexec.hpp"

namespace {

// As the reference: no errno in the message, whatever made getpwnam fail.
const passwd& lookup(const char* account) {
  const passwd* pw = ::getpwnam(account);
  if (!pw) dt::die(dt::exit_temp, "unknown account ", account);
  return *pw;
}

// setgroups failing is reported as "unable to setgid", as the reference does.
void drop_to(const passwd& pw) {
  gid_t gid = pw.pw_gid;
  if (::setgroups(1, &gid) == -1 || ::setgid(gid) == -1) dt::die_sys(dt::exit_temp, "unable to setgid");
  if (::setuid(pw.pw_uid) == -1) dt::die_sys(dt::exit_temp, "unable to setuid");
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "setuidgid";
  if (argc < 3) dt::die_usage("setuidgid account child");
  drop_to(lookup(argv[1]));
  dt::pathexec_run(argv[2], argv + 2, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", argv[2]);
}

// svup [-l|-L] dir ...: exit 0 if every service is up (and its log, where
// dir/log is a service directory), 100 if one is not or no supervise runs
// there, 111 with a message on trouble. Beyond 0.76: daemontools-encore's
// svup, reading the status of any supervisor (dt/svstate.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/sgetopt.hpp"
#include "dt/svstate.hpp"

namespace {

enum class Which { both, main_only, log_only };

[[noreturn]] void usage() { dt::die_usage("svup [ -l | -L ] dir ..."); }

// Is the service in the directory dirfd (named name) up?
bool is_up(int dirfd, const std::string& name) {
  const char* file = "";
  switch (dt::sv_live(dirfd, &file)) {
    case dt::SvLive::running: break;
    case dt::SvLive::stopped:
    case dt::SvLive::absent: return false;
    case dt::SvLive::failed: dt::die_sys(dt::exit_temp, "unable to open ", name, "/", file);
  }
  dt::SvView v;
  switch (dt::svview_read(dirfd, v)) {
    case dt::SvRead::ok: return v.up;
    case dt::SvRead::missing: return false;
    case dt::SvRead::too_short:
      dt::errmsg_exit(dt::exit_temp, {"fatal: unable to read ", name, "/supervise/status: bad format"});
    case dt::SvRead::open_failed: dt::die_sys(dt::exit_temp, "unable to open ", name, "/supervise/status");
    case dt::SvRead::read_failed: dt::die_sys(dt::exit_temp, "unable to read ", name, "/supervise/status");
  }
  return false;
}

// dir/log, as svscan sees it: a directory (or a symlink to one).
bool has_log(int dirfd, const std::string& name) {
  struct stat st;
  if (::fstatat(dirfd, "log", &st, 0) == 0) return S_ISDIR(st.st_mode);
  if (errno == ENOENT || errno == ENOTDIR) return false;
  dt::die_sys(dt::exit_temp, "unable to stat ", name, "/log");
}

bool check(const char* dir, Which which) {
  std::string name(dir);
  dt::Fd d(dt::open_retry(dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!d) dt::die_sys(dt::exit_temp, "unable to open ", name);
  if (which != Which::log_only && !is_up(d.get(), name)) return false;
  if (which == Which::main_only) return true;
  if (!has_log(d.get(), name)) return which == Which::both;
  std::string log = name + "/log";
  dt::Fd l(::openat(d.get(), "log", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!l) dt::die_sys(dt::exit_temp, "unable to open ", log);
  return is_up(l.get(), log);
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "svup";
  if (argc < 1) usage();
  Which which = Which::both;
  dt::Getopt g(argv, "lL");
  for (int c; (c = g.next()) != -1;) {
    switch (c) {
      case 'l': which = Which::main_only; break;
      case 'L': which = Which::log_only; break;
      default: usage();
    }
  }
  if (!*g.rest()) usage();
  bool all_up = true;
  for (char** d = g.rest(); *d; ++d) all_up &= check(*d, which);
  return all_up ? 0 : dt::exit_perm;
}

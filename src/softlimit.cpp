// softlimit [-a allbytes] [-c corebytes] ... child: run child with soft
// resource limits set; "=" means the hard limit, and a value above the hard
// limit is lowered to it.
#include <sys/resource.h>
#include <unistd.h>

#include <string_view>

#include "dt/error.hpp"
#include "dt/fmt.hpp"
#include "dt/pathexec.hpp"
#include "dt/sgetopt.hpp"

namespace {

constexpr std::string_view usage_text =
    "softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] "
    "[-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child";

[[noreturn]] void usage() { dt::die_usage(usage_text); }

// Digits only (an empty value is 0), anything else a usage error; the
// value wraps modulo 2^64 as the reference's does (dt::scan_ulong).
rlim_t parse_value(std::string_view s) {
  rlim_t u = 0;
  if (dt::scan_ulong(s, u) != s.size()) usage();
  return u;
}

// Set the soft limit at once, as each option is read (so later options win).
void limit(int resource, const char* value) {
  rlimit r;
  if (::getrlimit(resource, &r) == -1) dt::die_sys(dt::exit_temp, "getrlimit failed");
  if (std::string_view(value) == "=")
    r.rlim_cur = r.rlim_max;
  else {
    rlim_t u = parse_value(value);
    r.rlim_cur = u > r.rlim_max ? r.rlim_max : u;
  }
  if (::setrlimit(resource, &r) == -1) dt::die_sys(dt::exit_temp, "setrlimit failed");
}

char** parse(char** argv) {
  dt::Getopt g(argv, "a:c:d:f:l:m:o:p:r:s:t:");
  for (int opt; (opt = g.next()) != -1;) {
    switch (opt) {
      case 'a': limit(RLIMIT_AS, g.arg()); break;
      case 'c': limit(RLIMIT_CORE, g.arg()); break;
      case 'd': limit(RLIMIT_DATA, g.arg()); break;
      case 'f': limit(RLIMIT_FSIZE, g.arg()); break;
      case 'l': limit(RLIMIT_MEMLOCK, g.arg()); break;
      case 'm':  // every memory limit the system has, in the reference's order
        limit(RLIMIT_DATA, g.arg());
        limit(RLIMIT_STACK, g.arg());
        limit(RLIMIT_MEMLOCK, g.arg());
        limit(RLIMIT_AS, g.arg());
        break;
      case 'o': limit(RLIMIT_NOFILE, g.arg()); break;
      case 'p': limit(RLIMIT_NPROC, g.arg()); break;
      case 'r': limit(RLIMIT_RSS, g.arg()); break;
      case 's': limit(RLIMIT_STACK, g.arg()); break;
      case 't': limit(RLIMIT_CPU, g.arg()); break;
      default: usage();
    }
  }
  return g.rest();
}

}  // namespace

int main(int, char** argv) {
  dt::progname = "softlimit";
  char** child = parse(argv);
  if (!*child) usage();
  dt::pathexec_run(child[0], child, environ);
  dt::die_sys(dt::exit_temp, "unable to run ", child[0]);
}

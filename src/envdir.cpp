// envdir d child: run child with environment variables taken from the files
// in directory d: each file NAME sets $NAME to its first line, an empty
// file removes $NAME.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/pathexec.hpp"
#include "dt/svdir.hpp"

namespace {

// The reference exits 111, not 100, on a usage error: kept.
[[noreturn]] void usage() { dt::errmsg_exit(dt::exit_temp, {"usage: envdir dir child"}); }

// Read the whole file into sa. As the reference does, a file that does not
// exist (a dangling symlink, say) leaves sa as it was, so its variable gets
// what the previous file left there; false on any other error.
bool read_file(const char* name, std::string& sa) {
  // O_NONBLOCK kept, as the reference's: a FIFO with no writer reads as
  // empty, one with a writer but no data gives "temporary failure".
  dt::Fd fd(dt::open_retry(name, O_RDONLY | O_NONBLOCK));
  if (!fd) return errno == ENOENT;
  sa.clear();
  char buf[4096];
  for (;;) {
    ssize_t n = dt::read_retry(fd.get(), buf, sizeof buf);
    if (n == -1) return false;
    if (n == 0) return true;
    sa.append(buf, static_cast<std::size_t>(n));
  }
}

// The first line, trailing spaces and tabs removed, NULs turned into
// newlines; the terminating NUL stays in sa, as in the reference (it shows
// when sa is reused for a missing file: "abc" then reads as "abc\n").
void edit_from(const char* name, std::string& sa) {
  if (sa.empty()) {
    dt::pathexec_env(name, nullptr);
    return;
  }
  std::size_t nl = sa.find('\n');
  if (nl != std::string::npos) sa.resize(nl);
  while (!sa.empty() && (sa.back() == ' ' || sa.back() == '\t')) sa.pop_back();
  sa.push_back('\0');
  for (std::size_t i = 0; i + 1 < sa.size(); ++i)
    if (sa[i] == '\0') sa[i] = '\n';
  dt::pathexec_env(name, sa.data());
}

void read_dir(const char* dir) {
  DIR* d = ::opendir(".");
  if (!d) dt::die_sys(dt::exit_temp, "unable to read directory ", dir);
  std::string sa;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d);
    if (!e) {
      if (errno) dt::die_sys(dt::exit_temp, "unable to read directory ", dir);
      break;
    }
    if (e->d_name[0] == '.') continue;
    if (!read_file(e->d_name, sa)) dt::die_sys(dt::exit_temp, "unable to read ", dir, "/", e->d_name);
    edit_from(e->d_name, sa);
  }
  ::closedir(d);  // its failure is ignored, as the reference does
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "envdir";
  if (argc < 3) usage();
  const char* dir = argv[1];
  dt::Fd here(dt::open_cwd());
  if (!here) dt::die_sys(dt::exit_temp, "unable to switch to current directory");
  if (::chdir(dir) == -1) dt::die_sys(dt::exit_temp, "unable to switch to directory ", dir);
  read_dir(dir);
  if (::fchdir(here.get()) == -1) dt::die_sys(dt::exit_temp, "unable to switch to starting directory");
  here.reset();
  dt::pathexec(argv + 2);
  dt::die_sys(dt::exit_temp, "unable to run ", argv[2]);
}

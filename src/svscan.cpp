// svscan [dir]: starts a supervise for every service directory in dir (and
// for its log), restarts those that exit, and picks up new directories.
//
// As daemontools 0.76: a full scan at start and every 5 seconds; services
// keyed by device and inode; S/log decided when S is first seen; the pipe
// from S to S/log held open here so neither side's restart loses data;
// supervise of a vanished directory left running; no signal handled (bar
// SIGCHLD, internally). Beyond it: no limit on the number of services, new
// directories picked up at once (dt::DirWatch), children reaped as they exit.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dt/dirwatch.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/lock.hpp"
#include "dt/pathexec.hpp"
#include "dt/sig.hpp"
#include "dt/wait.hpp"

namespace {

constexpr std::int64_t rescan_ms = 5000;
// A directory made in place (mkdir) is usually filled next, its log
// included; it is taken up after this pause rather than half made.
constexpr std::int64_t settle_ms = 1000;

struct Key {
  dev_t dev;
  ino_t ino;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  std::size_t operator()(const Key& k) const { return k.ino * 0x9e3779b97f4a7c15ULL ^ k.dev; }
};

struct Service {
  Key key;
  pid_t pid = 0;     // supervise S
  pid_t logpid = 0;  // supervise log, in S
  int pipe_r = -1;   // S's output to its log; both ends held here
  int pipe_w = -1;
  bool seen = false;  // in the current full scan
};

std::vector<Service> services;
std::unordered_map<Key, std::size_t, KeyHash> index_of;
rlim_t child_nofile = RLIM_INFINITY;  // the descriptor limit children get back

void on_child(int) { dt::selfpipe_notify(); }

std::int64_t now_ms() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

// One pipe per logged service: lift the soft descriptor limit to the hard
// one here, and give children the limit svscan was started with.
void raise_nofile() {
  struct rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max) return;
  child_nofile = rl.rlim_cur;
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
}

void child_setup() {
  if (child_nofile != RLIM_INFINITY) {
    struct rlimit rl;
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
      rl.rlim_cur = child_nofile;
      ::setrlimit(RLIMIT_NOFILE, &rl);
    }
  }
}

// Make fd `to` the pipe end `from`, inheritable.
// A supervise without its log pipe would lose the log silently: say so and
// let svscan retry at its next scan.
void child_fd(int to, int from, std::string_view name) {
  int r = to == from ? ::fcntl(to, F_SETFD, 0) : dt::fd_copy(to, from);
  if (r == -1) {
    dt::warn_sys("unable to set up log pipe for ", name);
    ::_exit(dt::exit_temp);
  }
}

// Messages and exit code of a child that cannot run supervise are the
// reference's: svscan itself only sees the exit, and retries at its next scan.
[[noreturn]] void exec_supervise(const char* dir, std::string_view name, const char* suffix) {
  char* argv[] = {const_cast<char*>("supervise"), const_cast<char*>(dir), nullptr};
  dt::pathexec_run("supervise", argv, environ);
  dt::warn_sys("unable to start supervise ", name, suffix);
  ::_exit(dt::exit_temp);
}

bool start_service(Service& s, const char* name) {
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", name);
    return false;
  }
  if (pid == 0) {
    child_setup();
    if (s.pipe_w != -1) child_fd(1, s.pipe_w, name);
    exec_supervise(name, name, "");
  }
  s.pid = pid;
  return true;
}

void start_log(Service& s, const char* name) {
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", name, "/log");
    return;
  }
  if (pid == 0) {
    child_setup();
    child_fd(0, s.pipe_r, name);
    if (::chdir(name) == -1) {
      dt::warn_sys("unable to switch to ", name);
      ::_exit(dt::exit_temp);
    }
    exec_supervise("log", name, "/log");
  }
  s.logpid = pid;
}

// A new service: does it have a log (decided now, once, as in the
// reference), and the pipe for it. nullptr after a warning: retried later.
Service* add_service(const Key& key, const char* name) {
  char logpath[NAME_MAX + 5];
  std::size_t n = std::string_view(name).size();
  bool log = false;
  if (n <= 255) {  // the reference's limit on a logged service's name
    std::memcpy(logpath, name, n);
    std::memcpy(logpath + n, "/log", 5);
    struct stat st;
    // Anything named log counts, as in the reference: a file there gives
    // supervise's own complaint, every scan, rather than silence.
    if (::stat(logpath, &st) == 0) {
      log = true;
    } else if (errno != ENOENT) {
      dt::warn_sys("unable to stat ", logpath);
      return nullptr;
    }
  }
  Service s;
  s.key = key;
  if (log) {
    int pi[2];
    if (::pipe2(pi, O_CLOEXEC) == -1) {
      dt::warn_sys("unable to create pipe for ", name);
      return nullptr;
    }
    s.pipe_r = pi[0];
    s.pipe_w = pi[1];
  }
  services.push_back(s);
  index_of.emplace(key, services.size() - 1);
  return &services.back();
}

void remove_service(std::size_t i) {
  Service& s = services[i];
  if (s.pipe_r != -1) ::close(s.pipe_r);
  if (s.pipe_w != -1) ::close(s.pipe_w);
  index_of.erase(s.key);
  if (i != services.size() - 1) {
    s = services.back();
    index_of[s.key] = i;
  }
  services.pop_back();
}

// One directory entry: start what is not running for it.
void visit(const char* name) {
  struct stat st;
  if (::stat(name, &st) == -1) {
    dt::warn_sys("unable to stat ", name);
    return;
  }
  if (!S_ISDIR(st.st_mode)) return;
  Key key{st.st_dev, st.st_ino};
  Service* s;
  auto it = index_of.find(key);
  if (it != index_of.end()) {
    s = &services[it->second];
  } else {
    s = add_service(key, name);
    if (!s) return;
  }
  s->seen = true;
  if (!s->pid && !start_service(*s, name)) return;
  if (s->pipe_r != -1 && !s->logpid) start_log(*s, name);
}

void reap() {
  int st;
  pid_t pid;
  while ((pid = dt::wait_nohang(&st)) > 0) {
    for (auto& s : services) {
      if (s.pid == pid) {
        s.pid = 0;
        break;
      }
      if (s.logpid == pid) {
        s.logpid = 0;
        break;
      }
    }
  }
}

// The full scan: every entry once; then forget services whose directory is
// gone and whose supervise processes have exited. A failed read forgets
// nothing.
void scan(DIR* dir) {
  reap();  // as 0.76 does, should SIGCHLD be blocked in what started us
  for (auto& s : services) s.seen = false;
  ::rewinddir(dir);
  for (;;) {
    errno = 0;
    dirent* d = ::readdir(dir);
    if (!d) break;
    if (d->d_name[0] == '.') continue;
    visit(d->d_name);
  }
  if (errno) {
    dt::warn_sys("unable to read directory");
    return;
  }
  for (std::size_t i = services.size(); i-- > 0;) {
    const Service& s = services[i];
    if (!s.seen && !s.pid && !s.logpid) remove_service(i);
  }
}

// Two svscans on one directory would each start every service; the second
// waits instead (a lock on the directory itself: nothing is created in it).
void lock_dir(int fd, const char* shown) {
  if (dt::lock_exnb(fd) == 0) return;
  if (errno != EWOULDBLOCK) return;  // no locking here: carry on as 0.76
  dt::warn("another svscan is running in ", shown, ", waiting for it to exit");
  dt::lock_ex(fd);
}

DIR* open_dir(const char* shown) {
  int fd = dt::open_retry(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to open ", shown);
  lock_dir(fd, shown);
  DIR* dir = ::fdopendir(fd);
  if (!dir) dt::die_sys(dt::exit_temp, "unable to open ", shown);
  return dir;
}

// Events from the watch: a name renamed or linked in is taken up at once; a
// directory made in place after the settle pause, by a full scan.
void take_events(dt::DirWatch& watch, std::int64_t& settle_at, std::int64_t& scan_at) {
  if (!watch.read()) {  // a broken watch would keep poll busy: back to rescans
    watch.close();
    return;
  }
  dt::DirEvent ev;
  std::string_view name;
  char buf[NAME_MAX + 1];
  while (watch.next(ev, name)) {
    switch (ev) {
      case dt::DirEvent::appeared:
        if (name.empty() || name[0] == '.' || name.size() > NAME_MAX) break;
        std::memcpy(buf, name.data(), name.size());
        buf[name.size()] = 0;
        visit(buf);
        break;
      case dt::DirEvent::created_dir:
        if (!name.empty() && name[0] != '.' && !settle_at) settle_at = now_ms() + settle_ms;
        break;
      case dt::DirEvent::overflow:
        scan_at = 0;
        break;
      case dt::DirEvent::lost:
        watch.close();
        return;
    }
  }
}

[[noreturn]] void run(DIR* dir, dt::DirWatch& watch) {
  std::int64_t scan_at = 0;
  std::int64_t settle_at = 0;
  for (;;) {
    std::int64_t now = now_ms();
    if (now >= scan_at || (settle_at && now >= settle_at)) {
      scan(dir);
      scan_at = now_ms() + rescan_ms;
      settle_at = 0;
      continue;
    }
    std::int64_t wake = settle_at ? std::min(settle_at, scan_at) : scan_at;
    struct pollfd p[2] = {{dt::selfpipe_fd(), POLLIN, 0}, {watch.fd(), POLLIN, 0}};
    int r = ::poll(p, watch.fd() == -1 ? 1 : 2, static_cast<int>(wake - now));
    if (r <= 0) continue;  // timeout, or EINTR from SIGCHLD
    if (p[0].revents) {
      dt::selfpipe_drain();
      reap();
    }
    if (watch.fd() != -1 && p[1].revents) take_events(watch, settle_at, scan_at);
  }
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "svscan";
  const char* shown = ".";
  if (argc > 1) {
    shown = argv[1];
    if (::chdir(argv[1]) == -1) dt::die_sys(dt::exit_temp, "unable to chdir to ", argv[1]);
  }
  raise_nofile();
  if (dt::selfpipe_init() == -1) dt::die_sys(dt::exit_temp, "unable to create pipe");
  dt::sig_catch(SIGCHLD, on_child);
  DIR* dir = open_dir(shown);
  dt::DirWatch watch;
  watch.open(".");  // without it, the 5-second rescan alone, as 0.76
  run(dir, watch);
}

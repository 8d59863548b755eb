// svscan [dir]: starts a supervise for every service directory in dir (and
// for its log), restarts those that exit, and picks up new directories.
//
// As daemontools 0.76: a full scan at start and every 5 seconds; services
// keyed by device and inode; S/log decided when S is first seen; the pipe
// from S to S/log held open here so neither side's restart loses data;
// supervise of a vanished directory left running; no signal handled (bar
// SIGCHLD, internally). Beyond it: no limit on the number of services, new
// directories picked up at once (dt::DirWatch), children reaped as they exit.
//
// Beyond it too, as process 1 or when dir/.svscan is a directory (a dot
// name, which 0.76 skips): TERM and INT stop everything in order (each
// service first, its logger once the service's supervise has exited and
// the pipe between them is empty), KILL what is left at a time limit, run
// .svscan/finish and exit with its code; HUP rescans and stops the services
// whose directory has gone; ALRM rescans; every orphan is reaped (a child
// subreaper outside process 1). Without either, the signals kill svscan and
// leave its services running, as in 0.76.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

#include "dt/clock.hpp"
#include "dt/dirwatch.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/fmt.hpp"
#include "dt/lock.hpp"
#include "dt/sig.hpp"
#include "dt/wait.hpp"

extern char** environ;

namespace {

constexpr dt::mono_t rescan_interval = 5 * dt::mono_s;
// A directory made in place (mkdir) is usually filled next, its log
// included; it is taken up after this pause rather than half made.
constexpr dt::mono_t settle_time = 1 * dt::mono_s;
// While something is stopping: how often pipes and deadlines are looked at.
constexpr dt::mono_t stop_tick = 20 * dt::mono_ms;
// .svscan/timeout-kill and .svscan/timeout-finish when absent (ms): both
// below Docker's 10-second grace together.
constexpr std::uint64_t default_stop_ms = 5000;
constexpr std::uint64_t default_finish_ms = 3000;
constexpr const char opt_dir[] = ".svscan";
constexpr const char finish_file[] = ".svscan/finish";

struct Key {
  dev_t dev;
  ino_t ino;
  bool operator==(const Key&) const = default;
};

struct Service {
  Key key;
  char* name;        // as last seen (malloc'd)
  pid_t pid;         // supervise S
  pid_t logpid;      // supervise log, in S
  int pipe_r;        // S's output to its log; both ends held here
  int pipe_w;
  bool seen;         // in the current full scan
  bool log_warned;   // a late S/log was warned about
  bool stopping;     // told to stop (shutdown, or HUP with S gone)
  bool main_told;    // "dx" written to S's supervise
  bool log_told;     // "dx" written to S/log's supervise
  bool main_killed;  // S's service KILLed at its deadline
  bool all_killed;
  dt::mono_t kill_main_at;
  dt::mono_t kill_all_at;
};

// The services, and an index from Key to position (open addressing, linear
// probing). Grown with realloc: a failed growth is a warning and the entry
// is tried again at the next scan, never the end of svscan.
class Table {
 public:
  std::size_t size() const { return n_; }
  Service& operator[](std::size_t i) { return items_[i]; }
  Service* find(const Key& k) {
    if (!nslots_) return nullptr;
    for (std::size_t h = hash(k);; h = (h + 1) & (nslots_ - 1)) {
      std::uint32_t v = slots_[h];
      if (!v) return nullptr;
      if (items_[v - 1].key == k) return &items_[v - 1];
    }
  }
  // nullptr with errno ENOMEM when the table could not grow.
  Service* add(const Service& s) {
    if (n_ == cap_ && !grow()) return nullptr;
    items_[n_] = s;
    place(n_);
    return &items_[n_++];
  }
  void remove(std::size_t i) {
    unplace(i);
    std::free(items_[i].name);
    std::size_t last = n_ - 1;
    if (i != last) {
      unplace(last);
      items_[i] = items_[last];
      place(i);
    }
    --n_;
  }

 private:
  std::size_t hash(const Key& k) const {
    return static_cast<std::size_t>((k.ino * 0x9e3779b97f4a7c15ULL) ^ k.dev) & (nslots_ - 1);
  }
  void place(std::size_t i) {
    std::size_t h = hash(items_[i].key);
    while (slots_[h]) h = (h + 1) & (nslots_ - 1);
    slots_[h] = static_cast<std::uint32_t>(i + 1);
  }
  // Backward-shift deletion: no tombstones, lookups stay short.
  void unplace(std::size_t i) {
    std::size_t h = hash(items_[i].key);
    while (slots_[h] != i + 1) h = (h + 1) & (nslots_ - 1);
    std::size_t mask = nslots_ - 1;
    for (std::size_t j = (h + 1) & mask;; j = (j + 1) & mask) {
      std::uint32_t v = slots_[j];
      if (!v) break;
      std::size_t want = hash(items_[v - 1].key);
      // v may move to h when h lies cyclically in [want, j)
      if (((j - want) & mask) >= ((j - h) & mask)) {
        slots_[h] = v;
        h = j;
      }
    }
    slots_[h] = 0;
  }
  bool grow() {
    std::size_t cap = cap_ ? cap_ * 2 : 64;
    void* p = std::realloc(items_, cap * sizeof(Service));
    if (!p) return false;
    items_ = static_cast<Service*>(p);
    void* q = std::realloc(slots_, 2 * cap * sizeof(std::uint32_t));
    if (!q) return false;  // the items keep their old capacity in use
    slots_ = static_cast<std::uint32_t*>(q);
    nslots_ = 2 * cap;
    std::memset(slots_, 0, nslots_ * sizeof(std::uint32_t));
    for (std::size_t i = 0; i < n_; ++i) place(i);
    cap_ = cap;
    return true;
  }

  Service* items_ = nullptr;
  std::size_t n_ = 0;
  std::size_t cap_ = 0;
  std::uint32_t* slots_ = nullptr;
  std::size_t nslots_ = 0;
};

Table services;
Key scan_key;                         // the scanned directory itself
rlim_t child_nofile = RLIM_INFINITY;  // the descriptor limit children get back
sigset_t child_mask;                  // the signal mask svscan was started with

// The three ways svscan can run (see the top of the file).
struct Mode {
  bool pid1 = false;
  bool handles = false;  // signals beyond 0.76: process 1 or .svscan/
};
Mode mode;

volatile sig_atomic_t flag_stop = 0;
volatile sig_atomic_t flag_hup = 0;
volatile sig_atomic_t flag_alrm = 0;

void on_child(int) { dt::selfpipe_notify(); }
void on_stop(int) { flag_stop = 1; dt::selfpipe_notify(); }
void on_hup(int) { flag_hup = 1; dt::selfpipe_notify(); }
void on_alrm(int) { flag_alrm = 1; dt::selfpipe_notify(); }

// ---- start-up -------------------------------------------------------------

// One pipe per logged service: lift the soft descriptor limit to the hard
// one here, and give children the limit svscan was started with.
void raise_nofile() {
  struct rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max) return;
  child_nofile = rl.rlim_cur;
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
}

// Process 1, or opted in by a directory .svscan (anything else there, or
// nothing, is 0.76: silently, since 0.76 ignores it too).
void decide_mode() {
  mode.pid1 = ::getpid() == 1;
  struct stat st;
  bool opted = ::stat(opt_dir, &st) == 0 && S_ISDIR(st.st_mode);
  mode.handles = mode.pid1 || opted;
}

void catch_signals() {
  ::sigprocmask(SIG_SETMASK, nullptr, &child_mask);
  dt::sig_catch(SIGCHLD, on_child);
  if (!mode.handles) return;
  dt::sig_catch(SIGTERM, on_stop);
  dt::sig_catch(SIGINT, on_stop);
  dt::sig_catch(SIGHUP, on_hup);
  dt::sig_catch(SIGALRM, on_alrm);
  // Orphans of the services come to svscan (process 1 gets them anyway).
  if (!mode.pid1 && ::prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) dt::warn_sys("unable to become a subreaper");
}

// ---- starting supervise ------------------------------------------------------

// Where supervise is looked for, as pathexec would (PATH is fixed for the
// life of svscan, the files in it are not: each start tries them in turn).
char** candidates = nullptr;
std::size_t ncandidates = 0;

void find_supervise() {
  const char* path = std::getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  std::size_t n = 1;
  for (const char* c = path; *c; ++c) n += *c == ':';
  candidates = static_cast<char**>(std::malloc(n * sizeof(char*)));
  if (!candidates) dt::die_sys(dt::exit_temp, "unable to start");
  for (;;) {
    const char* colon = std::strchr(path, ':');
    std::size_t len = colon ? static_cast<std::size_t>(colon - path) : std::strlen(path);
    char* c = static_cast<char*>(std::malloc(len + sizeof "/supervise"));
    if (!c) dt::die_sys(dt::exit_temp, "unable to start");
    if (len == 0) {  // an empty entry: the current directory
      std::memcpy(c, "supervise", sizeof "supervise");
    } else {
      std::memcpy(c, path, len);
      std::memcpy(c + len, "/supervise", sizeof "/supervise");
    }
    candidates[ncandidates++] = c;
    if (!colon) break;
    path = colon + 1;
  }
}

// In the child, between fork and exec: only system calls and a message.
struct Spawn {
  const char* dir;     // argument of supervise
  const char* name;    // for messages
  const char* suffix;  // "" or "/log"
  int fd;              // 1 or 0: the pipe end to put there, or -1
  int from;
  const char* cd;      // directory to change to first, or nullptr
};

[[noreturn]] void child_run(const Spawn& sp) {
  // The handlers are this process's own copy: back to what exec gives.
  dt::sig_default(SIGCHLD);
  if (mode.handles) {
    dt::sig_default(SIGTERM);
    dt::sig_default(SIGINT);
    dt::sig_default(SIGHUP);
    dt::sig_default(SIGALRM);
  }
  ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
  if (child_nofile != RLIM_INFINITY) {
    struct rlimit rl;
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
      rl.rlim_cur = child_nofile;
      ::setrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  // A supervise without its log pipe would lose the log silently: say so
  // and let svscan retry at its next scan.
  if (sp.fd != -1) {
    int r = sp.fd == sp.from ? ::fcntl(sp.fd, F_SETFD, 0) : ::dup2(sp.from, sp.fd);
    if (r == -1) {
      dt::warn_sys("unable to set up log pipe for ", sp.name);
      ::_exit(dt::exit_temp);
    }
  }
  if (sp.cd && ::chdir(sp.cd) == -1) {
    dt::warn_sys("unable to switch to ", sp.name);
    ::_exit(dt::exit_temp);
  }
  // The search of pathexec: "not found" goes on; access denied and the
  // like are remembered and the search goes on; anything else stops it.
  char* argv[] = {const_cast<char*>("supervise"), const_cast<char*>(sp.dir), nullptr};
  int saved = 0;
  for (std::size_t i = 0; i < ncandidates; ++i) {
    ::execve(candidates[i], argv, environ);
    if (errno == ENOENT) continue;
    saved = errno;
    if (errno != EACCES && errno != EPERM && errno != EISDIR) break;
  }
  if (saved) errno = saved;
  // Messages and exit code of a child that cannot run supervise are the
  // reference's: svscan itself only sees the exit, and retries.
  dt::warn_sys("unable to start supervise ", sp.name, sp.suffix);
  ::_exit(dt::exit_temp);
}

// fork, not vfork: a vfork parent waits until its child has exec'd, and on
// a loaded machine that wait (the child waiting for a CPU) was most of the
// time to start 10,000 services; a fork of svscan (small, allocating little)
// lets it go on to the next while the children exec on the other CPUs.
// Signals are blocked meanwhile so that no handler of ours runs in the
// child before it has reset them.
pid_t spawn(const Spawn& sp) {
  sigset_t all, old;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::fork();
  if (pid == 0) child_run(sp);
  int e = errno;
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  errno = e;
  return pid;
}

bool start_service(Service& s) {
  pid_t pid = spawn({s.name, s.name, "", s.pipe_w != -1 ? 1 : -1, s.pipe_w, nullptr});
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", s.name);
    return false;
  }
  s.pid = pid;
  return true;
}

void start_log(Service& s) {
  pid_t pid = spawn({"log", s.name, "/log", 0, s.pipe_r, s.name});
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", s.name, "/log");
    return;
  }
  s.logpid = pid;
}

// ---- the table -----------------------------------------------------------------

char* copy_name(const char* name) {
  std::size_t n = std::strlen(name) + 1;
  char* c = static_cast<char*>(std::malloc(n));
  if (c) std::memcpy(c, name, n);
  return c;
}

// The reference's limit on a logged service's name.
bool log_path(char* buf, const char* name) {
  std::size_t n = std::strlen(name);
  if (n > 255) return false;
  std::memcpy(buf, name, n);
  std::memcpy(buf + n, "/log", 5);
  return true;
}

// A new service: does it have a log (decided now, once, as in the
// reference), and the pipe for it. nullptr after a warning: retried later.
Service* add_service(const Key& key, const char* name) {
  char logpath[NAME_MAX + 5];
  bool log = false;
  if (log_path(logpath, name)) {
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
  Service s{};
  s.key = key;
  s.pipe_r = s.pipe_w = -1;
  s.name = copy_name(name);
  if (!s.name) {
    dt::warn_sys("unable to add ", name);
    return nullptr;
  }
  if (log) {
    int pi[2];
    if (::pipe2(pi, O_CLOEXEC) == -1) {
      dt::warn_sys("unable to create pipe for ", name);
      std::free(s.name);
      return nullptr;
    }
    s.pipe_r = pi[0];
    s.pipe_w = pi[1];
  }
  Service* p = services.add(s);
  if (!p) {
    dt::warn_sys("unable to add ", name);
    if (log) {
      ::close(s.pipe_r);
      ::close(s.pipe_w);
    }
    std::free(s.name);
  }
  return p;
}

void remove_service(std::size_t i) {
  Service& s = services[i];
  if (s.pipe_r != -1) ::close(s.pipe_r);
  if (s.pipe_w != -1) ::close(s.pipe_w);
  services.remove(i);
}

// Keep the name a known service was seen under (it may have been renamed);
// on a failed copy the old name stays.
void rename_service(Service& s, const char* name) {
  if (std::strcmp(s.name, name) == 0) return;
  char* c = copy_name(name);
  if (!c) return;
  std::free(s.name);
  s.name = c;
}

// 0.76 never starts a log made after its service was picked up; neither do
// we, but we say so, once.
void check_late_log(Service& s) {
  if (s.pipe_r != -1 || s.log_warned) return;
  char logpath[NAME_MAX + 5];
  struct stat st;
  if (!log_path(logpath, s.name) || ::stat(logpath, &st) == -1) return;
  s.log_warned = true;
  dt::warn(logpath, " is not started: ", s.name, " was picked up without it");
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
  Service* s = services.find(key);
  if (s) {
    rename_service(*s, name);
    if (s->pid) check_late_log(*s);
  } else {
    s = add_service(key, name);
    if (!s) return;
  }
  s->seen = true;
  if (s->stopping) return;
  if (!s->pid && !start_service(*s)) return;
  if (s->pipe_r != -1 && !s->logpid) start_log(*s);
}

// Reap every child that has exited; false when svscan has no child left.
bool reap() {
  for (;;) {
    int st;
    pid_t pid = dt::wait_nohang(&st);
    if (pid == 0) return true;
    if (pid < 0) return errno != ECHILD;
    for (std::size_t i = 0; i < services.size(); ++i) {
      Service& s = services[i];
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
  for (std::size_t i = 0; i < services.size(); ++i) services[i].seen = false;
  ::rewinddir(dir);
  for (;;) {
    if (flag_stop) return;  // a shutdown does not wait for a long scan
    errno = 0;
    dirent* d = ::readdir(dir);
    if (!d) break;
    if (d->d_name[0] == '.') continue;
    visit(d->d_name);
  }
  if (errno) {
    dt::warn_sys("unable to read directory");
    for (std::size_t i = 0; i < services.size(); ++i) services[i].seen = true;
    return;
  }
  for (std::size_t i = services.size(); i-- > 0;) {
    const Service& s = services[i];
    if (!s.seen && !s.pid && !s.logpid && !s.stopping) remove_service(i);
  }
}

// ---- stopping ------------------------------------------------------------------

// A number of milliseconds in .svscan/FILE; dflt when it is absent, or
// (after a warning) unreadable or not a number. 0 means no limit.
std::uint64_t read_ms(const char* file, std::uint64_t dflt) {
  int fd = dt::open_retry(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1) {
    if (errno != ENOENT) dt::warn_sys("unable to read ", file);
    return dflt;
  }
  char buf[32];
  ssize_t r = dt::read_retry(fd, buf, sizeof buf);
  int e = errno;
  ::close(fd);
  if (r < 0) {
    errno = e;
    dt::warn_sys("unable to read ", file);
    return dflt;
  }
  std::string_view text(buf, static_cast<std::size_t>(r));
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    dt::warn("invalid ", file);
    return dflt;
  }
  for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

// Mains still running at four fifths of the limit are killed; their
// loggers have the last fifth to drain; at the limit everything is killed.
void begin_stop(Service& s, dt::mono_t now, std::uint64_t limit_ms) {
  s.stopping = true;
  if (!limit_ms) {
    s.kill_main_at = s.kill_all_at = dt::mono_never;
    return;
  }
  dt::mono_t limit = static_cast<dt::mono_t>(limit_ms) * dt::mono_ms;
  s.kill_main_at = now + limit - limit / 5;
  s.kill_all_at = now + limit;
}

// A file in the directory of a running supervise (S, or S/log for the log),
// opened through /proc/PID/cwd: right even after S was renamed, moved away
// or replaced by another directory of the same name. Until supervise has
// changed into its directory, -1 with EAGAIN. Without /proc, by name.
int open_in(const Service& s, bool log, const char* file, int flags) {
  pid_t pid = log ? s.logpid : s.pid;
  char p[48] = "/proc/";
  std::size_t pn = 6 + dt::fmt_ulong(p + 6, static_cast<unsigned long>(pid));
  std::memcpy(p + pn, "/cwd", 5);
  int dirfd = dt::open_retry(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  if (dirfd != -1) {
    bool ready = ::fstat(dirfd, &st) == 0;
    Key k{st.st_dev, st.st_ino};
    if (ready && log) {
      // supervise log changes from S into S/log itself
      struct stat up;
      ready = !(k == s.key) && ::fstatat(dirfd, "..", &up, 0) == 0 && Key{up.st_dev, up.st_ino} == s.key;
    } else if (ready) {
      ready = k == s.key;
    }
    int fd = ready ? ::openat(dirfd, file, flags | O_CLOEXEC) : -1;
    int e = ready ? errno : EAGAIN;
    ::close(dirfd);
    errno = e;
    return fd;
  }
  // No /proc: the name, if it still is this service.
  if (::stat(s.name, &st) == -1 || !(Key{st.st_dev, st.st_ino} == s.key)) {
    errno = EAGAIN;
    return -1;
  }
  char full[NAME_MAX + 64];
  std::size_t n = std::strlen(s.name);
  std::memcpy(full, s.name, n);
  const char* mid = log ? "/log/" : "/";
  std::size_t m = std::strlen(mid);
  std::memcpy(full + n, mid, m);
  std::memcpy(full + n + m, file, std::strlen(file) + 1);
  return dt::open_retry(full, flags | O_CLOEXEC);
}

// svc -dx: the service down (its down-signal, timeout-kill and finish as
// its supervise has them), then supervise exits. false: not yet possible.
bool tell_dx(const Service& s, bool log) {
  int fd = open_in(s, log, "supervise/control", O_WRONLY | O_NONBLOCK);
  if (fd == -1) return false;
  bool ok = dt::write_retry(fd, "dx", 2) == 2;
  ::close(fd);
  return ok;
}

// KILL the service a supervise runs (its process group too, if it leads
// one), from the pid in supervise/status; with the supervise as well.
void kill_service(const Service& s, bool log, bool with_supervise) {
  int fd = open_in(s, log, "supervise/status", O_RDONLY | O_NONBLOCK);
  if (fd != -1) {
    unsigned char b[20];
    ssize_t r = dt::read_retry(fd, b, sizeof b);
    ::close(fd);
    if (r >= 18) {
      pid_t p = static_cast<pid_t>(b[12] | b[13] << 8 | b[14] << 16 | static_cast<std::uint32_t>(b[15]) << 24);
      if (p > 1) {
        ::kill(p, SIGKILL);
        ::kill(-p, SIGKILL);
      }
    }
  }
  if (with_supervise) ::kill(log ? s.logpid : s.pid, SIGKILL);
}

// Whether nothing is left in the pipe to S's logger.
bool drained(const Service& s) {
  int n = 0;
  return ::ioctl(s.pipe_r, FIONREAD, &n) == 0 && n == 0;
}

// One look at a stopping service; true when nothing of it runs any more.
bool stop_step(Service& s, dt::mono_t now) {
  if (s.pid) {
    if (!s.main_told) s.main_told = tell_dx(s, false);
    if (now >= s.kill_all_at && !s.all_killed) {
      kill_service(s, false, true);
    } else if (now >= s.kill_main_at && !s.main_killed) {
      s.main_killed = true;
      kill_service(s, false, false);
    }
  } else if (s.pipe_w != -1) {
    // The service and its supervise are gone: with svscan's end closed
    // too, the logger reads the rest and then end of file.
    ::close(s.pipe_w);
    s.pipe_w = -1;
  }
  if (s.logpid && !s.pid) {
    if (!s.log_told && (s.pipe_r == -1 || drained(s))) s.log_told = tell_dx(s, true);
  }
  if (s.logpid && now >= s.kill_all_at && !s.all_killed) kill_service(s, true, true);
  if (now >= s.kill_all_at) s.all_killed = true;
  return !s.pid && !s.logpid;
}

// Every stopping service looked at; those done and gone (HUP) forgotten.
// Returns how many are still stopping.
std::size_t stop_all_steps(dt::mono_t now) {
  std::size_t left = 0;
  for (std::size_t i = services.size(); i-- > 0;) {
    Service& s = services[i];
    if (!s.stopping) continue;
    if (stop_step(s, now))
      remove_service(i);
    else
      ++left;
  }
  return left;
}

// HUP: the services whose directory has gone are stopped.
void stop_gone(dt::mono_t now) {
  std::uint64_t limit = 0;
  bool read = false;
  for (std::size_t i = 0; i < services.size(); ++i) {
    Service& s = services[i];
    if (s.seen || s.stopping) continue;
    if (!read) limit = read_ms(".svscan/timeout-kill", default_stop_ms), read = true;
    begin_stop(s, now, limit);
  }
}

// Signal every child svscan has (orphans it adopted included).
void signal_children(int sig) {
  if (mode.pid1) {
    ::kill(-1, sig);  // all of the PID namespace but svscan itself
    if (sig != SIGKILL) ::kill(-1, SIGCONT);
    return;
  }
  char path[64] = "/proc/self/task/";
  std::size_t n = 16 + dt::fmt_ulong(path + 16, static_cast<unsigned long>(::getpid()));
  std::memcpy(path + n, "/children", 10);
  int fd = dt::open_retry(path, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    for (std::size_t i = 0; i < services.size(); ++i) {
      if (services[i].pid) ::kill(services[i].pid, sig);
      if (services[i].logpid) ::kill(services[i].logpid, sig);
    }
    return;
  }
  char buf[4096];
  unsigned long p = 0;
  bool digits = false;
  for (;;) {
    ssize_t r = dt::read_retry(fd, buf, sizeof buf);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r; ++i) {
      if (buf[i] >= '0' && buf[i] <= '9') {
        p = p * 10 + static_cast<unsigned long>(buf[i] - '0');
        digits = true;
      } else if (digits) {
        ::kill(static_cast<pid_t>(p), sig);
        if (sig != SIGKILL) ::kill(static_cast<pid_t>(p), SIGCONT);
        p = 0;
        digits = false;
      }
    }
  }
  if (digits) ::kill(static_cast<pid_t>(p), sig);
  ::close(fd);
}

// ---- the loop --------------------------------------------------------------------

DIR* open_dir(const char* shown) {
  int fd = dt::open_retry(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to open ", shown);
  // Two svscans on one directory would each start every service; the
  // second waits instead (a lock on the directory itself: nothing is
  // created in it).
  if (dt::lock_exnb(fd) == -1 && errno == EWOULDBLOCK) {
    dt::warn("another svscan is running in ", shown, ", waiting for it to exit");
    dt::lock_ex(fd);
  }
  struct stat st;
  if (::fstat(fd, &st) == 0) scan_key = {st.st_dev, st.st_ino};
  DIR* dir = ::fdopendir(fd);
  if (!dir) dt::die_sys(dt::exit_temp, "unable to open ", shown);
  return dir;
}

struct Timers {
  dt::mono_t scan_at = 0;
  dt::mono_t settle_at = dt::mono_never;
};

// Events from the watch: a name renamed or linked in is taken up at once; a
// directory made in place after the settle pause, by a full scan.
void take_events(dt::DirWatch& watch, Timers& t) {
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
        if (!name.empty() && name[0] != '.' && t.settle_at == dt::mono_never)
          t.settle_at = dt::mono_now() + settle_time;
        break;
      case dt::DirEvent::overflow:
        t.scan_at = 0;
        break;
      case dt::DirEvent::lost:
        watch.close();
        return;
    }
  }
}

// Wait for a descriptor or the deadline. A failing poll (not EINTR) is
// warned about and waited out, never spun on.
void wait_for(struct pollfd* p, nfds_t n, dt::mono_t deadline) {
  dt::mono_t now = dt::mono_now();
  if (::poll(p, n, dt::poll_timeout(deadline, now)) == -1) {
    for (nfds_t i = 0; i < n; ++i) p[i].revents = 0;
    if (errno == EINTR) return;
    dt::warn_sys("unable to poll");
    // a pause that does not use poll, which is what fails
    dt::mono_t pause = dt::mono_min(deadline, now + dt::mono_s) - now;
    if (pause > 0) {
      struct timespec ts = {static_cast<time_t>(pause / dt::mono_s), static_cast<long>(pause % dt::mono_s)};
      ::nanosleep(&ts, nullptr);  // a signal ends it early: the loop looks
    }
  }
}

// Services and orphans until TERM or INT (never, without mode.handles).
void run(DIR* dir, dt::DirWatch& watch) {
  Timers t;
  for (;;) {
    dt::mono_t now = dt::mono_now();
    if (now >= t.scan_at || now >= t.settle_at) {
      scan(dir);
      if (flag_hup) {
        flag_hup = 0;
        stop_gone(now);
      }
      t.scan_at = dt::mono_now() + rescan_interval;
      t.settle_at = dt::mono_never;
      continue;
    }
    dt::mono_t wake = dt::mono_min(t.settle_at, t.scan_at);
    if (stop_all_steps(now)) wake = dt::mono_min(wake, now + stop_tick);
    struct pollfd p[2] = {{dt::selfpipe_fd(), POLLIN, 0}, {watch.fd(), POLLIN, 0}};
    wait_for(p, watch.fd() == -1 ? 1 : 2, wake);
    if (p[0].revents) {
      dt::selfpipe_drain();
      reap();
    }
    if (flag_stop) return;
    if (flag_hup || flag_alrm) {
      flag_alrm = 0;
      t.scan_at = 0;
    }
    if (watch.fd() != -1 && p[1].revents) take_events(watch, t);
  }
}

// TERM or INT: everything stopped in order, within .svscan/timeout-kill;
// the orphans left TERMed, then whatever remains KILLed; all reaped.
void shut_down() {
  dt::mono_t start = dt::mono_now();
  std::uint64_t limit_ms = read_ms(".svscan/timeout-kill", default_stop_ms);
  for (std::size_t i = 0; i < services.size(); ++i)
    if (!services[i].stopping) begin_stop(services[i], start, limit_ms);
  dt::mono_t kill_at = limit_ms ? start + static_cast<dt::mono_t>(limit_ms) * dt::mono_ms : dt::mono_never;
  bool orphans_told = false;
  bool killed = false;
  dt::mono_t give_up = dt::mono_never;
  for (;;) {
    dt::mono_t now = dt::mono_now();
    bool children = reap();
    std::size_t left = stop_all_steps(now);
    if (!children) return;
    if (!left && !orphans_told) {
      signal_children(SIGTERM);
      orphans_told = true;
    }
    if (now >= kill_at && !killed) {
      signal_children(SIGKILL);
      killed = true;
      give_up = now + 5 * dt::mono_s;  // a process stuck in the kernel
    }
    if (now >= give_up) {
      dt::warn("some processes did not exit in time");
      return;
    }
    struct pollfd p = {dt::selfpipe_fd(), POLLIN, 0};
    wait_for(&p, 1, dt::mono_min(now + stop_tick, killed ? give_up : kill_at));
    if (p.revents) dt::selfpipe_drain();
  }
}

// .svscan/finish, if there is one, within .svscan/timeout-finish; its exit
// code is svscan's (111 when it could not run or did not exit by itself).
int finish() {
  struct stat st;
  if (::stat(finish_file, &st) == -1 && errno == ENOENT) return 0;
  dt::mono_t limit_ms = static_cast<dt::mono_t>(read_ms(".svscan/timeout-finish", default_finish_ms));
  pid_t pid = ::fork();
  if (pid == -1) {
    dt::warn_sys("unable to fork for ", finish_file);
    return dt::exit_temp;
  }
  if (pid == 0) {
    dt::sig_default(SIGCHLD);
    dt::sig_default(SIGTERM);
    dt::sig_default(SIGINT);
    dt::sig_default(SIGHUP);
    dt::sig_default(SIGALRM);
    ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
    char* argv[] = {const_cast<char*>(finish_file), nullptr};
    ::execve(finish_file, argv, environ);
    dt::warn_sys("unable to run ", finish_file);
    ::_exit(dt::exit_temp);
  }
  dt::mono_t deadline = limit_ms ? dt::mono_now() + limit_ms * dt::mono_ms : dt::mono_never;
  bool killed = false;
  for (;;) {
    int status;
    pid_t r;
    while ((r = dt::wait_nohang(&status)) > 0) {
      if (r != pid) continue;
      if (killed || dt::wait_crashed(status)) return dt::exit_temp;
      return dt::wait_exitcode(status);
    }
    if (r == -1) return dt::exit_temp;
    dt::mono_t now = dt::mono_now();
    if (!killed && now >= deadline) {
      dt::warn(finish_file, " did not exit in time: killed");
      ::kill(pid, SIGKILL);
      killed = true;
    }
    struct pollfd p = {dt::selfpipe_fd(), POLLIN, 0};
    wait_for(&p, 1, killed ? now + stop_tick : deadline);
    if (p.revents) dt::selfpipe_drain();
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
  decide_mode();
  catch_signals();
  find_supervise();
  DIR* dir = open_dir(shown);
  dt::DirWatch watch;
  watch.open(".");  // without it, the 5-second rescan alone, as 0.76
  run(dir, watch);
  watch.close();
  shut_down();
  return finish();
}

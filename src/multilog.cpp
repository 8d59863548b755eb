// multilog script: read lines from stdin, select them with patterns, and
// append them to alerts (e), status files (=file) and rotated log
// directories (./dir or /dir), timestamped with TAI64N labels (t).
// Beyond 0.76, in words 0.76 ignores: T and I stamps, F/S fnmatch or
// simple patterns, B (bigger files), S (total size cap), R (rotation by
// time, on a poll deadline) and w (suffix of finished files).
//
// Byte-compatibility: the reference reads 1024 bytes at a time, holds the
// first 1000 bytes of a line to decide on it, and writes each log through a
// 512-byte buffer whose chunks decide where a log file is cut (see op()).
// We read in large blocks and write in large blocks, but replay those
// 1024-byte reads and 512-byte chunks in arithmetic, so every file ends
// exactly where the reference's would.
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dt/buffer.hpp"
#include "dt/clock.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/fmt.hpp"
#include "dt/lock.hpp"
#include "dt/pattern.hpp"
#include "dt/sig.hpp"
#include "dt/tai.hpp"
#include "dt/wait.hpp"

namespace {

constexpr std::size_t line_max = 1000;      // bytes of a line the patterns see
constexpr std::size_t alert_max = 200;      // bytes of a line e prints
constexpr std::size_t status_size = 1001;   // =file: line padded with newlines
constexpr std::size_t ref_read = 1024;      // the reference's read size
constexpr std::size_t ref_chunk = 512;      // the reference's log buffer
constexpr std::size_t near_full = 2000;     // "a newline within 2000 bytes"
constexpr std::size_t in_size = 128 * 1024;
constexpr std::size_t out_size = 128 * 1024;
constexpr unsigned long size_min = 4096, size_max = 16777215, size_default = 99999;
constexpr unsigned long big_max = 2147483647;  // B: beyond 0.76
constexpr std::uint64_t period_max = 4294967296;  // R: seconds (136 years)
constexpr std::size_t code_max = 255 - dt::tain_label_size - 1;  // w: a name fits
constexpr unsigned long writeback_step = 4 << 20;  // start write-back per 4 MiB
constexpr unsigned long num_min = 2, num_default = 10;
constexpr unsigned pause_seconds = 5;
// current, lock, processed, newstate: opened as 0.76's open_append
constexpr int append_flags = O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK;

struct Log {
  std::string name;  // as given, for messages
  unsigned long size;
  unsigned long num;
  const char* processor;  // null: none
  std::string_view code;  // suffix of a finished file: s, or w's CODE
  unsigned long cap;      // S: most bytes of old files kept; 0: no cap
  dt::mono_t period;      // R: rotate a non-empty current this often; 0: never
  dt::mono_t due = dt::mono_never;  // R: the next time rotation
  unsigned long writeback = 0;  // current up to here is being written back
  dt::Fd dir;
  dt::Fd lock;
  dt::Fd current;
  unsigned long bytes = 0;  // in current, as the reference counts them
  char chunk[ref_chunk];    // the reference's 512-byte buffer, replayed
  std::size_t chunk_len = 0;
  std::vector<char> out_storage = std::vector<char>(out_size);
  dt::Writer out{-1, out_storage.data(), out_size};  // what really goes to current
  bool selected = false;    // the line in progress goes here
};

enum class Kind { deselect, select, alert, status, log, fnmatch, simple };
struct Action {
  Kind kind;
  std::string_view arg;
  int fd = -1;    // status file
  Log* log = nullptr;
};

std::vector<Action> script;
std::vector<std::unique_ptr<Log>> log_storage;
std::vector<Log*> logs;
// t: TAI64N label; T: accustamp (Unix seconds.microseconds); I: local
// ISO 8601 as tai64nlocal prints it. T and I are beyond 0.76.
enum class Stamp { none, tai64n, accustamp, iso };
Stamp stamp = Stamp::none;

volatile sig_atomic_t flag_exit = 0;
volatile sig_atomic_t flag_alarm = 0;
void on_term(int) { flag_exit = 1; dt::selfpipe_notify(); }
void on_alarm(int) { flag_alarm = 1; dt::selfpipe_notify(); }

// Trouble with the disk: say so, wait, let the caller try again.
void pause_for() {
  struct timespec ts {pause_seconds, 0};
  while (::nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}
template <class... A> void trouble(const A&... a) {
  dt::warn_sys(a..., ", pausing");
  pause_for();
}

std::string at(const Log& l, std::string_view file) { return l.name + "/" + std::string(file); }

// ---- the files of a log directory ----

void flush_out(Log& l) {
  while (!l.out.flush()) trouble("unable to write to ", at(l, "current"));
}
void put_out(Log& l, const char* s, std::size_t n) {
  // n never exceeds the Writer's capacity, so a failed put keeps the data
  while (!l.out.put(std::string_view(s, n))) trouble("unable to write to ", at(l, "current"));
}

void fsync_retry(int fd, const Log& l, std::string_view file) {
  while (::fsync(fd) == -1) trouble("unable to write ", at(l, file), " to disk");
}
void fchmod_retry(int fd, const Log& l, std::string_view file, mode_t m) {
  while (::fchmod(fd, m) == -1) trouble("unable to set mode of ", at(l, file));
}

void open_current(Log& l) {
  int fd;
  while ((fd = dt::open_at(l.dir.get(), "current", append_flags, 0600)) == -1)
    trouble("unable to create ", at(l, "current"));
  l.current.reset(fd);
  fchmod_retry(fd, l, "current", 0644);
  l.out.set_fd(fd);
  l.writeback = 0;
}

// Start writing current back to disk 4 MiB at a time as it grows, so the
// fsync before a rotation (kept, as 0.76) finds little left to do and the
// input does not stall on it. Advisory: a failure is left to that fsync.
void start_writeback(Log& l) {
  unsigned long end = l.bytes - l.out.pending();
  if (end - l.writeback < writeback_step) return;
  ::sync_file_range(l.current.get(), static_cast<off_t>(l.writeback), static_cast<off_t>(end - l.writeback),
                    SYNC_FILE_RANGE_WRITE);
  l.writeback = end;
}

// Old log files are named @ + 24 hex digits + .s or .u; the reference
// counts every name of at least 25 bytes starting with @, oldest first by
// those 25 bytes, and removes the oldest while there are num or more.
// With S (beyond 0.76) also while they hold more than cap bytes in all.
void remove_old(Log& l) {
  for (;;) {
    int fd;
    while ((fd = dt::open_at(l.dir.get(), ".", O_RDONLY | O_DIRECTORY)) == -1)
      trouble("unable to read ", l.name);
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      trouble("unable to read ", l.name);
      continue;
    }
    unsigned long count = 0;
    std::uint64_t total = 0;  // S: may pass 4 GB where a long is 32 bits
    std::string oldest;
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '@' || std::strlen(e->d_name) < 25) continue;
      ++count;
      if (oldest.empty() || std::memcmp(e->d_name, oldest.data(), 25) < 0) oldest = e->d_name;
      struct stat st;
      int saved = errno;
      if (l.cap && ::fstatat(l.dir.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        total += static_cast<std::uint64_t>(st.st_size);
      errno = saved;  // a file gone meanwhile is no trouble
    }
    bool failed = errno != 0;
    ::closedir(d);
    if (failed) {
      trouble("unable to read ", l.name);
      continue;
    }
    if (count < l.num && (l.cap == 0 || total <= l.cap)) return;
    // The reference reports a failed removal as a failed read of the
    // directory, even when the file was already gone.
    if (::unlinkat(l.dir.get(), oldest.c_str(), 0) == -1) trouble("unable to read ", l.name);
  }
}

// Give a finished file its final name, @<tai64n>.<code>, then prune.
void finish(Log& l, const char* file, std::string_view code) {
  struct stat st;
  while (::fstatat(l.dir.get(), file, &st, 0) == -1) {
    if (errno == ENOENT) return;
    trouble("unable to stat ", at(l, file));
  }
  // A file that already has a second name was linked to its final name
  // before an outage: as the reference, it is only unlinked, so its lines
  // never appear twice.
  char name[dt::tain_label_size + 1 + code_max + 1];
  if (st.st_nlink == 1) {
    for (;;) {
      dt::tain_fmt_label(name, dt::taia_now());
      name[dt::tain_label_size] = '.';
      std::memcpy(name + dt::tain_label_size + 1, code.data(), code.size());
      name[dt::tain_label_size + 1 + code.size()] = 0;
      if (::linkat(l.dir.get(), file, l.dir.get(), name, 0) == 0) break;
      trouble("unable to link to ", at(l, name));
    }
  }
  while (::unlinkat(l.dir.get(), file, 0) == -1 && errno != ENOENT) trouble("unable to remove ", at(l, file));
  remove_old(l);
}

[[noreturn]] void processor_child(Log& l) {
  dt::sig_default(SIGTERM);
  dt::sig_default(SIGALRM);
  dt::sig_default(SIGPIPE);
  // rotate() has already switched to the log directory. As the
  // reference, any failure to set the processor up is "unable to run".
  struct {
    int to;
    const char* file;
    bool write;
  } const fds[] = {{0, "previous", false}, {1, "processed", true}, {4, "state", false}, {5, "newstate", true}};
  for (const auto& f : fds) {
    int fd = f.write ? dt::open_trunc(f.file) : dt::open_read(f.file);
    if (fd == -1 || dt::fd_move(f.to, fd) == -1) dt::die_sys(dt::exit_temp, "unable to run ", l.processor);
  }
  const char* argv[] = {"sh", "-c", l.processor, nullptr};
  ::execve("/bin/sh", const_cast<char**>(argv), environ);
  dt::die_sys(dt::exit_temp, "unable to run ", l.processor);
}

// Run the processor on previous until it succeeds; then processed, made
// safe on disk and marked finished, replaces previous, newstate replaces state.
void process(Log& l) {
  for (;;) {
    pid_t pid = ::fork();
    if (pid == -1) {
      trouble("unable to fork for processor in ", l.name);
      continue;
    }
    if (pid == 0) processor_child(l);
    int status;
    if (dt::wait_pid(pid, &status) == -1) {
      trouble("wait failed for processor in ", l.name);
      continue;
    }
    if (status == 0) break;
    if (dt::wait_crashed(status)) {
      // The reference reports a crash with a stale errno, in practice the
      // "file does not exist" left by its start-up checks, and then also
      // reports the failure, pausing after each.
      errno = ENOENT;
      trouble("processor crashed in ", l.name);
    }
    dt::errmsg({"warning: processor failed in ", l.name, ", pausing"});
    pause_for();
  }
  for (const char* file : {"processed", "newstate"}) {
    int fd;
    while ((fd = dt::open_at(l.dir.get(), file, append_flags, 0600)) == -1)
      trouble("unable to create ", at(l, file));
    dt::Fd f(fd);
    fsync_retry(fd, l, file);
    if (file[1] == 'r') fchmod_retry(fd, l, file, 0744);
  }
  while (::unlinkat(l.dir.get(), "previous", 0) == -1 && errno != ENOENT) trouble("unable to remove ", at(l, "previous"));
  while (::renameat(l.dir.get(), "newstate", l.dir.get(), "state") == -1)
    trouble("unable to rename newstate to state in directory ", l.name);
  finish(l, "processed", l.code);
}

// current is big enough: make it safe on disk, mark it finished (0744),
// and turn it into an old log file, through the processor if there is one.
void rotate(Log& l) {
  flush_out(l);
  // The reference works inside the log directory from here on, so a
  // directory it may no longer search (chmod 0) says so first.
  while (::fchdir(l.dir.get()) == -1) trouble("unable to switch to ", l.name);
  fsync_retry(l.current.get(), l, "current");
  l.current.reset();
  while (::renameat(l.dir.get(), "current", l.dir.get(), "previous") == -1)
    trouble("unable to rename current to previous in directory ", l.name);
  open_current(l);
  while (::fchmodat(l.dir.get(), "previous", 0744, 0) == -1) trouble("unable to set mode of ", at(l, "previous"));
  if (l.processor)
    process(l);
  else
    finish(l, "previous", l.code);
  l.bytes = 0;
  if (l.period) l.due = dt::mono_now() + l.period;
}

// R: the first bytes of an empty current after its rotation time went by
// unused (nothing to rotate, and multilog did not wake for it) wait for
// the next multiple of the period after that rotation.
void next_period(Log& l) {
  dt::mono_t now = dt::mono_now();
  if (l.due > now) return;
  l.due += ((now - l.due) / l.period + 1) * l.period;
}

// The reference's write operation for current, replayed: a chunk stops at
// the size limit; once the file is within 2000 bytes of it, a chunk stops
// after its last newline and the file is finished there.
std::size_t op(Log& l, const char* s, std::size_t n) {
  if (l.bytes >= l.size) rotate(l);
  if (l.bytes == 0 && l.period) next_period(l);
  if (n > l.size - l.bytes) n = l.size - l.bytes;
  if (l.bytes + n >= l.size - near_full) {
    if (const void* nl = ::memrchr(s, '\n', n)) n = static_cast<std::size_t>(static_cast<const char*>(nl) - s) + 1;
  }
  put_out(l, s, n);
  l.bytes += n;
  start_writeback(l);
  if (l.bytes >= l.size - near_full && s[n - 1] == '\n') rotate(l);
  return n;
}
void op_all(Log& l, const char* s, std::size_t n) {
  while (n > 0) {
    std::size_t w = op(l, s, n);
    s += w;
    n -= w;
  }
}
void chunk_flush(Log& l) {
  op_all(l, l.chunk, l.chunk_len);
  l.chunk_len = 0;
}
// A line's first part (at most 1000 bytes) goes into the buffer whole, or
// past it when it does not fit.
void chunk_put(Log& l, const char* s, std::size_t n) {
  if (n > ref_chunk - l.chunk_len) {
    chunk_flush(l);
    if (n > ref_chunk) {
      op_all(l, s, n);
      return;
    }
  }
  std::memcpy(l.chunk + l.chunk_len, s, n);
  l.chunk_len += n;
}
// The rest of a long line and every newline go in byte by byte: the buffer
// is written out whenever it is full.
void chunk_putc(Log& l, const char* s, std::size_t n) {
  while (n > 0) {
    if (l.chunk_len == ref_chunk) chunk_flush(l);
    std::size_t k = std::min(n, ref_chunk - l.chunk_len);
    std::memcpy(l.chunk + l.chunk_len, s, k);
    l.chunk_len += k;
    s += k;
    n -= k;
  }
}

// ---- start-up: trouble here is fatal, before any input is read ----

void start_current(Log& l, const char* verb) {
  int fd = dt::open_at(l.dir.get(), "current", append_flags, 0600);
  if (fd == -1) dt::die_sys(dt::exit_temp, verb, at(l, "current"));
  l.current.reset(fd);
  if (::fchmod(fd, 0644) == -1) dt::die_sys(dt::exit_temp, "unable to set mode of ", at(l, "current"));
  l.out.set_fd(fd);
  if (l.period) l.due = dt::mono_now() + l.period;
}

// False when file is missing; any other failure is fatal, as the reference.
bool start_stat(const Log& l, const char* file, struct stat& st) {
  if (::fstatat(l.dir.get(), file, &st, 0) == 0) return true;
  if (errno != ENOENT) dt::die_sys(dt::exit_temp, "unable to stat ", at(l, file));
  return false;
}

void start_log(Log& l) {
  ::mkdir(l.name.c_str(), 0700);
  int fd = dt::open_read(l.name.c_str());
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to open directory ", l.name);
  l.dir.reset(fd);
  struct stat st;
  if (::fstat(fd, &st) == -1) dt::die_sys(dt::exit_temp, "unable to open directory ", l.name);
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;  // the reference finds out when it switches to it
    dt::die_sys(dt::exit_temp, "unable to open directory ", l.name);
  }
  dt::coe(fd);
  fd = dt::open_at(fd, "lock", append_flags, 0600);
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to lock directory ", l.name);
  l.lock.reset(fd);
  if (dt::lock_exnb(fd) == -1) dt::die_sys(dt::exit_temp, "unable to lock directory ", l.name);

  if (start_stat(l, "current", st) && (st.st_mode & 0100)) {
    // finished by a clean exit: carry on appending to it
    start_current(l, "unable to append to ");
    l.bytes = l.writeback = static_cast<unsigned long>(st.st_size);
    return;
  }
  // an outage: whatever was being written is kept, marked .u (unsafe)
  ::unlinkat(l.dir.get(), "state", 0);
  ::unlinkat(l.dir.get(), "newstate", 0);
  if (start_stat(l, "processed", st) && (st.st_mode & 0100)) {
    ::unlinkat(l.dir.get(), "previous", 0);
    finish(l, "processed", l.code);
  } else {
    ::unlinkat(l.dir.get(), "processed", 0);
  }
  finish(l, "previous", "u");
  finish(l, "current", "u");
  fd = dt::open_at(l.dir.get(), "state", O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0644);
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to write to ", at(l, "state"));
  ::close(fd);
  start_current(l, "unable to write to ");
}

void start_status(Action& a) {
  std::string file(a.arg);
  int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK, 0600);
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to create ", file);
  ::close(fd);
  fd = dt::open_write(file.c_str());
  if (fd == -1) dt::die_sys(dt::exit_temp, "unable to create ", file);
  dt::coe(fd);
  a.fd = fd;
}

bool is_digit(std::string_view a, std::size_t i) { return a.size() > i && a[i] >= '0' && a[i] <= '9'; }

// w's CODE becomes part of a file name in the log directory: a CODE that
// could not be one (empty, a slash, too long) is ignored like an unknown word.
bool code_ok(std::string_view c) { return !c.empty() && c.size() <= code_max && c.find('/') == c.npos; }

// A number word's digits, scanned as 0.76 scans s and n (libdt's wrapping
// scan_ulong), then held within [lo, hi].
std::uint64_t number(std::string_view digits, std::uint64_t lo, std::uint64_t hi) {
  unsigned long u = 0;
  dt::scan_ulong(digits, u);
  return u < lo ? lo : u > hi ? hi : u;
}

void parse(int argc, char** argv) {
  unsigned long size = size_default, num = num_default, cap = 0;
  dt::mono_t period = 0;
  std::string_view code = "s";
  const char* processor = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.empty()) continue;
    switch (a[0]) {
      // a stamp only as the first action; any word starting with t, T or I
      case 't':
        if (i == 1) stamp = Stamp::tai64n;
        break;
      case 'T':
        if (i == 1) stamp = Stamp::accustamp;
        break;
      case 'I':
        if (i == 1) stamp = Stamp::iso;
        break;
      case 'F': script.push_back({Kind::fnmatch, a}); break;
      case 'S':
        if (is_digit(a, 1)) {
          cap = static_cast<unsigned long>(number(a.substr(1), 0, ULONG_MAX));
        } else {
          script.push_back({Kind::simple, a});
        }
        break;
      case 'B':
        size = static_cast<unsigned long>(number(a.substr(1), size_min, big_max));
        break;
      case 'R':
        period = static_cast<dt::mono_t>(number(a.substr(1), 0, period_max)) * dt::mono_s;
        break;
      case 'w':
        if (code_ok(a.substr(1))) code = a.substr(1);
        break;
      case '-': script.push_back({Kind::deselect, a.substr(1)}); break;
      case '+': script.push_back({Kind::select, a.substr(1)}); break;
      case 'e': script.push_back({Kind::alert, a}); break;
      case '=': script.push_back({Kind::status, a.substr(1)}); break;
      case 's':
        size = static_cast<unsigned long>(number(a.substr(1), size_min, size_max));
        break;
      case 'n':
        num = static_cast<unsigned long>(number(a.substr(1), num_min, ULONG_MAX));
        break;
      case '!': processor = argv[i] + 1; break;
      case '.':
      case '/': {
        Log* l = log_storage.emplace_back(std::make_unique<Log>()).get();
        l->name = std::string(a);
        l->size = size;
        l->num = num;
        l->processor = processor;
        l->code = code;
        l->cap = cap;
        l->period = period;
        logs.push_back(l);
        script.push_back({Kind::log, a, -1, l});
        break;
      }
      default: break;  // the reference ignores anything else
    }
  }
  // as the reference does: every status file first, then the logs
  for (Action& a : script)
    if (a.kind == Kind::status) start_status(a);
  for (Action& a : script)
    if (a.kind == Kind::log) start_log(*a.log);
}

// ---- lines ----

char line[line_max + 1];  // + a NUL for fnmatch
std::size_t line_len = 0;
bool in_line = false;   // a line has begun
bool long_line = false; // its first 1000 bytes are decided; the rest streams
dt::LocalSecond local_second;  // I: the date of the last second stamped

void alert(std::string_view s) {
  char buf[alert_max + 4];
  std::size_t n = std::min(s.size(), alert_max);
  std::memcpy(buf, s.data(), n);
  if (s.size() > alert_max) {
    std::memcpy(buf + n, "...", 3);
    n += 3;
  }
  buf[n++] = '\n';
  dt::write_all(2, buf, n);
}

// As the reference: seek to the start and write all 1001 bytes in one
// write, pausing and trying again (seek included) until that succeeds.
void status(const Action& a, std::string_view s) {
  char buf[status_size];
  std::memcpy(buf, s.data(), s.size());
  std::memset(buf + s.size(), '\n', status_size - s.size());
  for (;;) {
    while (::lseek(a.fd, 0, SEEK_SET) == -1) trouble("unable to move to beginning of ", a.arg);
    if (dt::write_retry(a.fd, buf, status_size) == static_cast<ssize_t>(status_size)) return;
    trouble("unable to write ", a.arg);
  }
}

// F (beyond 0.76): fnmatch(3) with no flags on the line up to its first NUL.
bool matches(bool fn, const Action& a, std::string_view s) {
  if (fn) return ::fnmatch(a.arg.data(), line, 0) == 0;  // arg ends argv's word
  return dt::pattern_match(a.arg, s);
}

// Carry out the script on a line's first part; complete: it ended there.
void decide(bool complete) {
  std::string_view s(line, line_len);
  line[line_len] = 0;
  bool selected = true;
  bool fn = false;  // each line starts with simple patterns (F, S switch)
  for (Action& a : script) {
    switch (a.kind) {
      case Kind::fnmatch: fn = true; break;
      case Kind::simple: fn = false; break;
      case Kind::deselect:
        if (selected && matches(fn, a, s)) selected = false;
        break;
      case Kind::select:
        if (!selected && matches(fn, a, s)) selected = true;
        break;
      case Kind::alert:
        if (selected) alert(s);
        break;
      case Kind::status:
        if (selected) status(a, s);
        break;
      case Kind::log:
        a.log->selected = selected;
        if (selected) {
          chunk_put(*a.log, line, line_len);
          if (complete) chunk_putc(*a.log, "\n", 1);
        }
        break;
    }
  }
}

void stream(const char* s, std::size_t n) {
  for (Log* l : logs)
    if (l->selected) chunk_putc(*l, s, n);
}

// The stamp of a line, from one clock reading as it begins. What depends
// only on the second (t's 16 hex digits, T's seconds, I's date) is made
// once per second; each line adds its fraction of a second.
struct StampPrefix {
  std::uint64_t sec = 0;
  bool valid = false;
  bool ok = false;
  char text[dt::LocalSecond::text_max];
  std::size_t len = 0;
} prefix;

void make_prefix(std::uint64_t sec) {
  prefix.sec = sec;
  prefix.valid = true;
  prefix.ok = true;
  switch (stamp) {
    case Stamp::none: break;
    case Stamp::tai64n:
      prefix.text[0] = '@';
      dt::fmt_xfixed(prefix.text + 1, sec, 16);
      prefix.len = 17;
      break;
    case Stamp::accustamp:
      prefix.len = dt::fmt_ulong(prefix.text, static_cast<unsigned long>(dt::tai_to_unix(dt::Tai{sec})));
      prefix.text[prefix.len++] = '.';
      break;
    case Stamp::iso: {
      std::string_view date;
      prefix.ok = local_second.format(sec, date);  // false: localtime failed
      std::memcpy(prefix.text, date.data(), date.size());
      prefix.len = date.size();
      break;
    }
  }
}

void fmt_decimal(char* s, std::uint32_t u, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    s[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
}

std::size_t make_stamp(char* s) {
  if (stamp == Stamp::none) return 0;
  dt::Taia now = dt::taia_now();
  if (!prefix.valid || now.sec.x != prefix.sec) make_prefix(now.sec.x);
  if (!prefix.ok) return 0;
  std::memcpy(s, prefix.text, prefix.len);
  std::size_t n = prefix.len;
  switch (stamp) {
    case Stamp::none: break;
    case Stamp::tai64n:
      dt::fmt_xfixed(s + n, now.nano, 8);
      n += 8;
      break;
    case Stamp::accustamp:
      fmt_decimal(s + n, now.nano / 1000, 6);
      n += 6;
      break;
    case Stamp::iso:
      fmt_decimal(s + n, now.nano, 9);  // always below 10^9 here
      n += 9;
      break;
  }
  s[n++] = ' ';
  return n;
}

void begin_line() {
  in_line = true;
  line_len = make_stamp(line);
}

// One of the reference's 1024-byte reads.
void feed(const char* s, std::size_t n) {
  while (n > 0) {
    if (long_line) {
      const char* nl = static_cast<const char*>(std::memchr(s, '\n', n));
      std::size_t k = nl ? static_cast<std::size_t>(nl - s) + 1 : n;
      stream(s, k);
      if (nl) long_line = in_line = false;
      s += k;
      n -= k;
      continue;
    }
    if (!in_line) begin_line();
    std::size_t room = line_max - line_len;
    std::size_t k = std::min(n, room);
    const char* nl = static_cast<const char*>(std::memchr(s, '\n', k));
    if (nl) {
      k = static_cast<std::size_t>(nl - s);
      std::memcpy(line + line_len, s, k);
      line_len += k;
      decide(true);
      in_line = false;
      s += k + 1;
      n -= k + 1;
      continue;
    }
    std::memcpy(line + line_len, s, k);
    line_len += k;
    s += k;
    n -= k;
    if (line_len == line_max) {
      decide(false);
      long_line = true;
    }
  }
}

// After each of the reference's reads it writes out every log's buffer.
void end_read() {
  for (Log* l : logs) chunk_flush(*l);
}

// End of input (or TERM at a line boundary): a partial last line gets its
// newline; every current is made safe on disk and marked finished.
void finish_all() {
  if (long_line) {
    stream("\n", 1);
  } else if (in_line) {
    decide(true);
  }
  long_line = in_line = false;
  end_read();
  for (Log* l : logs) {
    flush_out(*l);
    fsync_retry(l->current.get(), *l, "current");
    fchmod_retry(l->current.get(), *l, "current", 0744);
  }
}

void alarm_all() {
  for (Log* l : logs)
    if (l->bytes > 0) rotate(*l);
}

// R (beyond 0.76): rotate every non-empty current whose time has come, at
// a line boundary. Returns the next deadline of a non-empty current.
dt::mono_t rotate_due(bool at_boundary) {
  dt::mono_t next = dt::mono_never, now = 0;
  for (Log* l : logs) {
    if (!l->period || l->bytes == 0 || !at_boundary) continue;
    if (!now) now = dt::mono_now();
    if (l->due <= now) {
      rotate(*l);
      continue;  // now empty: no deadline until a line comes
    }
    next = dt::mono_min(next, l->due);
  }
  return next;
}

// Wait for input, a signal or the deadline; no signal mask is changed per
// read. -2: no input this time.
ssize_t read_input(char* buf, std::size_t len, dt::mono_t deadline) {
  for (;;) {
    struct pollfd p[2] = {{0, POLLIN, 0}, {dt::selfpipe_fd(), POLLIN, 0}};
    int ready = ::poll(p, 2, deadline == dt::mono_never ? -1 : dt::poll_timeout(deadline, dt::mono_now()));
    if (ready == 0) return -2;
    if (ready == -1) {
      if (errno == EINTR) return -2;
      return -1;
    }
    if (p[1].revents) {
      dt::selfpipe_drain();
      return -2;
    }
    ssize_t r = ::read(0, buf, len);
    if (r == -1 && errno == EINTR) return -2;
    return r;
  }
}

void run() {
  static char in[in_size];
  for (;;) {
    if (flag_alarm) {
      flag_alarm = 0;
      alarm_all();
    }
    bool at_boundary = !in_line && !long_line;
    if (flag_exit && at_boundary) break;
    dt::mono_t deadline = rotate_due(at_boundary);
    // after TERM, read byte by byte so stdin is left at the next line
    ssize_t r = read_input(in, flag_exit ? 1 : in_size, deadline);
    if (r == -2) continue;
    if (r <= 0) break;  // the reference takes a read error for the end of input
    std::size_t n = static_cast<std::size_t>(r);
    for (std::size_t off = 0; off < n; off += ref_read) {
      feed(in + off, std::min(ref_read, n - off));
      end_read();
    }
    for (Log* l : logs) flush_out(*l);
  }
  finish_all();
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "multilog";
  ::umask(022);
  if (dt::selfpipe_init() == -1) dt::die_sys(dt::exit_temp, "unable to create pipe");
  dt::sig_catch(SIGTERM, on_term);
  dt::sig_catch(SIGALRM, on_alarm);
  parse(argc, argv);
  run();
  return 0;
}

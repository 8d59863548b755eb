#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "dt/fd.hpp"
#include "dt/sig.hpp"
#include "tempdir.hpp"

using dt_test::TempDir;

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }


// umask 0 for the duration, so created files show the mode asked for.
struct Umask0 {
  mode_t old = ::umask(0);
  ~Umask0() { ::umask(old); }
};

mode_t mode_of(const std::string& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

int flags_of(int fd) { return ::fcntl(fd, F_GETFL); }

volatile sig_atomic_t ticks = 0;
void on_tick(int) { ticks = ticks + 1; }

}  // namespace

TEST_CASE("Fd closes its descriptor at the end of its scope") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  ::close(p[1]);
  {
    dt::Fd f(p[0]);
    CHECK(f.ok());
    CHECK(static_cast<bool>(f));
    CHECK(f.get() == p[0]);
    CHECK(is_open(p[0]));
  }
  CHECK_FALSE(is_open(p[0]));
  dt::Fd none;
  CHECK_FALSE(none.ok());
  CHECK(none.get() == -1);
}

TEST_CASE("Fd moves ownership, release gives it up, reset replaces") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  dt::Fd a(p[0]);
  dt::Fd b(std::move(a));
  CHECK_FALSE(a.ok());
  CHECK(b.get() == p[0]);
  dt::Fd c(p[1]);
  c = std::move(b);  // closes p[1], takes p[0]
  CHECK_FALSE(is_open(p[1]));
  CHECK(c.get() == p[0]);
  int raw = c.release();
  CHECK(raw == p[0]);
  CHECK_FALSE(c.ok());
  CHECK(is_open(raw));
  c.reset(raw);
  c.reset();
  CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd::reset keeps errno") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  ::close(p[1]);
  dt::Fd f(p[0]);
  errno = ENOENT;
  f.reset();
  CHECK(errno == ENOENT);
}

TEST_CASE("fd_copy duplicates, fd_move also closes the source") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  constexpr int to = 200;
  REQUIRE(dt::fd_copy(to, p[1]) == 0);
  CHECK(is_open(p[1]));
  REQUIRE(::write(to, "x", 1) == 1);
  char c = 0;
  REQUIRE(::read(p[0], &c, 1) == 1);
  CHECK(c == 'x');
  CHECK(dt::fd_copy(to, to) == 0);
  CHECK(is_open(to));

  constexpr int to2 = 201;
  REQUIRE(dt::fd_move(to2, p[1]) == 0);
  CHECK_FALSE(is_open(p[1]));
  REQUIRE(::write(to2, "y", 1) == 1);
  REQUIRE(::read(p[0], &c, 1) == 1);
  CHECK(c == 'y');
  CHECK(dt::fd_move(to2, to2) == 0);
  CHECK(is_open(to2));
  CHECK(dt::fd_copy(202, 999) == -1);
  CHECK(errno == EBADF);
  ::close(to);
  ::close(to2);
  ::close(p[0]);
}

TEST_CASE("open_* create files with daemontools' modes and flags") {
  TempDir d;
  Umask0 u;

  SECTION("open_trunc: 0644, truncates") {
    std::string f = d / "trunc";
    dt::Fd fd(dt::open_trunc(f.c_str()));
    REQUIRE(fd.ok());
    CHECK(mode_of(f) == 0644);
    CHECK((flags_of(fd.get()) & O_ACCMODE) == O_WRONLY);
    REQUIRE(dt::write_all(fd.get(), "hello", 5));
    fd.reset(dt::open_trunc(f.c_str()));
    REQUIRE(fd.ok());
    struct stat st;
    REQUIRE(::stat(f.c_str(), &st) == 0);
    CHECK(st.st_size == 0);
  }
  SECTION("open_append: 0600, append, non-blocking as the reference") {
    std::string f = d / "append";
    dt::Fd fd(dt::open_append(f.c_str()));
    REQUIRE(fd.ok());
    CHECK(mode_of(f) == 0600);
    int fl = flags_of(fd.get());
    CHECK((fl & O_ACCMODE) == O_WRONLY);
    CHECK((fl & O_APPEND) != 0);
    CHECK((fl & O_NONBLOCK) != 0);
    CHECK((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) == 0);
    REQUIRE(dt::write_all(fd.get(), "a", 1));
    fd.reset(dt::open_append(f.c_str()));
    REQUIRE(dt::write_all(fd.get(), "b", 1));
    fd.reset(dt::open_read(f.c_str()));
    char buf[4];
    CHECK(::read(fd.get(), buf, sizeof buf) == 2);
    CHECK(std::string(buf, 2) == "ab");
  }
  SECTION("open_append on a FIFO without a reader fails at once") {
    std::string f = d / "fifo";
    REQUIRE(::mkfifo(f.c_str(), 0600) == 0);
    CHECK(dt::open_append(f.c_str()) == -1);
    CHECK(errno == ENXIO);
  }
  SECTION("open_read and open_write: blocking again after the open") {
    std::string f = d / "fifo";
    REQUIRE(::mkfifo(f.c_str(), 0600) == 0);
    dt::Fd r(dt::open_read(f.c_str()));  // O_NONBLOCK: does not wait for a writer
    REQUIRE(r.ok());
    CHECK((flags_of(r.get()) & O_ACCMODE) == O_RDONLY);
    CHECK((flags_of(r.get()) & O_NONBLOCK) == 0);
    dt::Fd w(dt::open_write(f.c_str()));
    REQUIRE(w.ok());
    CHECK((flags_of(w.get()) & O_ACCMODE) == O_WRONLY);
    CHECK((flags_of(w.get()) & O_NONBLOCK) == 0);
  }
  SECTION("open_write on a FIFO without a reader fails at once") {
    std::string f = d / "fifo";
    REQUIRE(::mkfifo(f.c_str(), 0600) == 0);
    CHECK(dt::open_write(f.c_str()) == -1);
    CHECK(errno == ENXIO);
  }
  SECTION("errors: errno set, no file created") {
    std::string f = d / "missing/x";
    CHECK(dt::open_trunc(f.c_str()) == -1);
    CHECK(errno == ENOENT);
    CHECK(dt::open_read((d / "nothing").c_str()) == -1);
    CHECK(errno == ENOENT);
  }
}

TEST_CASE("coe, ndelay_on and ndelay_off set and clear their flags") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  dt::Fd r(p[0]), w(p[1]);
  REQUIRE(dt::coe(r.get()) == 0);
  CHECK((::fcntl(r.get(), F_GETFD) & FD_CLOEXEC) != 0);
  REQUIRE(dt::ndelay_on(r.get()) == 0);
  CHECK((flags_of(r.get()) & O_NONBLOCK) != 0);
  char c;
  CHECK(::read(r.get(), &c, 1) == -1);
  CHECK(errno == EAGAIN);
  REQUIRE(dt::ndelay_off(r.get()) == 0);
  CHECK((flags_of(r.get()) & O_NONBLOCK) == 0);
  CHECK(dt::coe(999) == -1);
  CHECK(dt::ndelay_on(999) == -1);
}

TEST_CASE("write_all finishes short writes and retries EINTR") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  ::fcntl(p[1], F_SETPIPE_SZ, 4096);
  std::vector<char> data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 4096);
  // A blocking write into a full pipe, interrupted by a signal every
  // millisecond, returns what it wrote so far (a short write) or EINTR.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(p[0]);
    dt::sig_catch(SIGALRM, on_tick);
    struct itimerval it {};
    it.it_interval.tv_usec = 1000;
    it.it_value.tv_usec = 1000;
    ::setitimer(ITIMER_REAL, &it, nullptr);
    bool ok = dt::write_all(p[1], data.data(), data.size());
    _exit(ok && ticks > 0 ? 0 : 1);
  }
  ::close(p[1]);
  std::vector<char> got;
  char buf[1000];  // odd-sized reads, slowly
  for (int n = 0;; ++n) {
    ssize_t r = dt::read_retry(p[0], buf, sizeof buf);
    REQUIRE(r >= 0);
    if (r == 0) break;
    got.insert(got.end(), buf, buf + r);
    if (n % 16 == 0) ::usleep(200);
  }
  ::close(p[0]);
  int status;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(got == data);
}

TEST_CASE("write_all reports a broken pipe") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  ::close(p[0]);
  struct sigaction old, ign {};
  ign.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ign, &old);
  CHECK_FALSE(dt::write_all(p[1], "x", 1));
  CHECK(errno == EPIPE);
  ::sigaction(SIGPIPE, &old, nullptr);
  ::close(p[1]);
  CHECK(dt::write_all(p[1], "", 0));  // nothing to write: no call at all
}

namespace {
volatile sig_atomic_t alarms = 0;
void on_alarm(int) { alarms = alarms + 1; }
}  // namespace

TEST_CASE("read_retry and write_retry go on after EINTR") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  dt::sig_catch(SIGALRM, on_alarm);  // no SA_RESTART: read(2) returns EINTR
  alarms = 0;
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(p[0]);
    ::usleep(300000);
    _exit(dt::write_retry(p[1], "late", 4) == 4 ? 0 : 1);
  }
  ::close(p[1]);
  struct itimerval it {};
  it.it_value.tv_usec = 50000;
  ::setitimer(ITIMER_REAL, &it, nullptr);
  char buf[8];
  ssize_t r = dt::read_retry(p[0], buf, sizeof buf);
  CHECK(r == 4);
  CHECK(alarms == 1);
  int status;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WEXITSTATUS(status) == 0);
  ::close(p[0]);
  dt::sig_default(SIGALRM);
}

TEST_CASE("open_retry passes flags and mode, and goes on after EINTR") {
  TempDir d;
  Umask0 u;
  std::string f = d / "fifo";
  REQUIRE(::mkfifo(f.c_str(), 0600) == 0);
  SECTION("flags and mode as given") {
    std::string g = d / "file";
    dt::Fd fd(dt::open_retry(g.c_str(), O_WRONLY | O_CREAT | O_NONBLOCK, 0640));
    REQUIRE(fd);
    CHECK(mode_of(g) == 0640);
    CHECK((flags_of(fd.get()) & O_NONBLOCK) != 0);
    CHECK(dt::open_retry((d / "nothing").c_str(), O_RDONLY) == -1);
    CHECK(errno == ENOENT);
  }
  SECTION("a blocking open of a FIFO waits out a signal for its writer") {
    dt::sig_catch(SIGALRM, on_alarm);  // no SA_RESTART: open(2) returns EINTR
    alarms = 0;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::usleep(300000);
      _exit(dt::open_retry(f.c_str(), O_WRONLY) >= 0 ? 0 : 1);
    }
    struct itimerval it {};
    it.it_value.tv_usec = 50000;
    ::setitimer(ITIMER_REAL, &it, nullptr);
    dt::Fd fd(dt::open_retry(f.c_str(), O_RDONLY));
    CHECK(fd);
    CHECK(alarms == 1);
    int status;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WEXITSTATUS(status) == 0);
    dt::sig_default(SIGALRM);
  }
}

TEST_CASE("open_at opens relative to a directory, always close-on-exec") {
  TempDir d;
  Umask0 u;
  dt::Fd dir(::open(d.path.c_str(), O_RDONLY | O_DIRECTORY));
  REQUIRE(dir.ok());
  dt::Fd fd(dt::open_at(dir.get(), "f", O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, 0600));
  REQUIRE(fd.ok());
  CHECK(mode_of(d / "f") == 0600);
  CHECK((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
  int fl = flags_of(fd.get());
  CHECK((fl & O_APPEND) != 0);
  CHECK((fl & O_NONBLOCK) != 0);
  CHECK(dt::open_at(dir.get(), "missing", O_RDONLY) == -1);
  CHECK(errno == ENOENT);
  dt::Fd self(dt::open_at(dir.get(), ".", O_RDONLY | O_DIRECTORY));
  CHECK(self.ok());
}

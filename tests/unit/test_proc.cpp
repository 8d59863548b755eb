#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>

#include "dt/fd.hpp"
#include "dt/proc.hpp"
#include "dt/tai.hpp"
#include "tempdir.hpp"

namespace {

constexpr std::int64_t ms = 1'000'000;

dt::Taia taia_from_ns(std::int64_t ns) {
  dt::Taia t;
  t.sec = dt::tai_from_unix(ns / 1'000'000'000);
  t.nano = static_cast<std::uint32_t>(ns % 1'000'000'000);
  return t;
}

std::int64_t taia_ns(const dt::Taia& t) { return dt::tai_to_unix(t.sec) * 1'000'000'000 + t.nano; }

// A child that changes to dir (if given), tells the parent, and sleeps until
// killed; the record time is taken right after fork, as supervise does.
struct Child {
  pid_t pid = -1;
  dt::Taia when;
  explicit Child(const char* dir = nullptr) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(p[0]);
      if (dir && ::chdir(dir) == -1) _exit(1);
      if (::write(p[1], "x", 1) != 1) _exit(1);
      ::close(p[1]);
      for (;;) ::pause();
    }
    when = dt::taia_now();
    ::close(p[1]);
    char c;
    REQUIRE(dt::read_retry(p[0], &c, 1) == 1);
    ::close(p[0]);
  }
  ~Child() { stop(); }
  void stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    int w;
    ::waitpid(pid, &w, 0);
    pid = -1;
  }
};

}  // namespace

TEST_CASE("proc_stat_parse counts fields after the last parenthesis") {
  char state = 0;
  std::uint64_t start = 0;
  const char plain[] =
      "1234 (sleep) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 5627904 200 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  REQUIRE(dt::proc_stat_parse(plain, state, start));
  CHECK(state == 'S');
  CHECK(start == 987654);
  // comm with spaces and parentheses, even ") R 1 2 3" inside it.
  const char odd[] =
      "77 (a) R 1 2 (b c) Z 1 77 77 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 42 5627904 200 "
      "18446744073709551615\n";
  REQUIRE(dt::proc_stat_parse(odd, state, start));
  CHECK(state == 'Z');
  CHECK(start == 42);
  CHECK_FALSE(dt::proc_stat_parse("", state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 (x S 1 2 3", state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 x) S 1 2 3", state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n", state, start));  // ends before 22
  CHECK_FALSE(dt::proc_stat_parse("1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12a 3\n", state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999999 3\n",
                                  state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 (x) SS 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 3\n", state, start));
  CHECK_FALSE(dt::proc_stat_parse("1 (x)  S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 3\n", state, start));
}

TEST_CASE("proc_stat_read reads this process and reports a missing one") {
  char state = 0;
  std::uint64_t start = 0;
  CHECK(dt::proc_stat_read(::getpid(), state, start) == dt::ProcCheck::same);
  CHECK(state == 'R');
  CHECK(start > 0);
  // Above every pid_max (at most 2^22).
  CHECK(dt::proc_stat_read(0x3ffffff0, state, start) == dt::ProcCheck::gone);
}

TEST_CASE("proc_start_matches accepts the record window only") {
  std::int64_t start = 1'700'000'000LL * 1'000'000'000 + 123 * ms;
  auto at = [&](std::int64_t d) { return dt::proc_start_matches(start, taia_from_ns(start + d)); };
  CHECK(at(0));
  CHECK(at(1));
  CHECK(at(10 * ms));                     // a tick
  CHECK(at(10 * ms + 900 * ms));          // a preempted parent
  CHECK(at(-dt::proc_start_early_ns));    // measurement error
  CHECK_FALSE(at(-dt::proc_start_early_ns - 1));  // started after the record: reused pid
  CHECK_FALSE(at(-2'000 * ms));
  CHECK_FALSE(at(dt::proc_start_late_ns + 1'000 * ms));  // long before the record
  CHECK_FALSE(at(3600LL * 1'000'000'000));
  // Garbage records never match and never overflow.
  dt::Taia zero;
  CHECK_FALSE(dt::proc_start_matches(start, zero));
  dt::Taia huge;
  huge.sec.x = ~std::uint64_t{0};
  CHECK_FALSE(dt::proc_start_matches(start, huge));
}

TEST_CASE("proc: a child's start time matches the time taken right after fork") {
  Child c;
  char state = 0;
  std::uint64_t ticks = 0;
  REQUIRE(dt::proc_stat_read(c.pid, state, ticks) == dt::ProcCheck::same);
  std::int64_t start = dt::proc_start_unix_ns(ticks);
  INFO("record - start = " << (taia_ns(c.when) - start) / 1000 << " us");
  CHECK(dt::proc_start_matches(start, c.when));
  // The same pid recorded 3 s earlier or later is another process.
  CHECK_FALSE(dt::proc_start_matches(start, taia_from_ns(taia_ns(c.when) + 3'000 * ms)));
  CHECK_FALSE(dt::proc_start_matches(start, taia_from_ns(taia_ns(c.when) - 3'000 * ms)));
}

TEST_CASE("proc_cwd_below: the directory, below it, beside it, and /") {
  dt_test::TempDir t;
  std::string sub = t / "root";
  std::string deep = sub + "/a/b";
  std::string beside = t.path + "-beside";
  REQUIRE(::mkdir(sub.c_str(), 0700) == 0);
  REQUIRE(::mkdir((sub + "/a").c_str(), 0700) == 0);
  REQUIRE(::mkdir(deep.c_str(), 0700) == 0);
  REQUIRE(::mkdir(beside.c_str(), 0700) == 0);  // a name with the same prefix
  REQUIRE(::symlink(deep.c_str(), (t / "link").c_str()) == 0);
  dt::Fd dir(::open(t.path.c_str(), O_RDONLY | O_DIRECTORY));
  REQUIRE(dir);
  {
    Child c(t.path.c_str());
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::same);
  }
  {
    Child c(deep.c_str());
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::same);
  }
  {
    Child c((t / "link").c_str());
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::same);
  }
  {
    Child c(beside.c_str());
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::other_dir);
  }
  {
    Child c("/");
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::other_dir);
  }
  {
    // The parent of the directory is not below it.
    Child c((t.path + "/..").c_str());
    CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::other_dir);
  }
  {
    // AT_FDCWD: the current directory.
    int back = ::open(".", O_RDONLY);
    REQUIRE(::chdir(sub.c_str()) == 0);
    Child c(deep.c_str());
    CHECK(dt::proc_cwd_below(c.pid, AT_FDCWD) == dt::ProcCheck::same);
    REQUIRE(::fchdir(back) == 0);
    ::close(back);
  }
  ::rmdir(beside.c_str());
}

TEST_CASE("proc_cwd_below: a removed directory keeps its place, a removed service directory is another") {
  dt_test::TempDir t;
  std::string gone = t / "gone";
  REQUIRE(::mkdir(gone.c_str(), 0700) == 0);
  dt::Fd dir(::open(t.path.c_str(), O_RDONLY | O_DIRECTORY));
  Child c(gone.c_str());
  REQUIRE(::rmdir(gone.c_str()) == 0);
  // ".." of a removed directory is still the one it was in.
  CHECK(dt::proc_cwd_below(c.pid, dir.get()) == dt::ProcCheck::same);
  // The service directory removed and made again: a new inode.
  std::string svc = t / "svc";
  REQUIRE(::mkdir(svc.c_str(), 0700) == 0);
  Child d(svc.c_str());
  REQUIRE(::rmdir(svc.c_str()) == 0);
  REQUIRE(::mkdir(svc.c_str(), 0700) == 0);
  dt::Fd again(::open(svc.c_str(), O_RDONLY | O_DIRECTORY));
  CHECK(dt::proc_cwd_below(d.pid, again.get()) == dt::ProcCheck::other_dir);
}

TEST_CASE("proc: pidfd_open: a pollable descriptor, or ENOSYS") {
  Child c;
  int fd = dt::pidfd_open(c.pid);
  if (fd == -1 && errno == ENOSYS) {
    WARN("pidfd_open: ENOSYS (kernel before 5.3)");
    return;
  }
  REQUIRE(fd >= 0);
  CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  struct pollfd p = {fd, POLLIN, 0};
  CHECK(::poll(&p, 1, 0) == 0);
  ::kill(c.pid, SIGKILL);
  CHECK(::poll(&p, 1, 10000) == 1);  // readable once it has exited
  ::close(fd);
  c.stop();
  CHECK(dt::pidfd_open(0x3ffffff0) == -1);
  CHECK(errno == ESRCH);
}

TEST_CASE("proc_adopt: the process started, or the reason it is not") {
  dt_test::TempDir t;
  dt::Fd dir(::open(t.path.c_str(), O_RDONLY | O_DIRECTORY));
  dt::ProcCheck why;
  Child c(t.path.c_str());
  int fd = dt::proc_adopt(c.pid, c.when, dir.get(), why);
  if (why == dt::ProcCheck::no_pidfd) {
    WARN("pidfd_open: ENOSYS (kernel before 5.3)");
    return;
  }
  CHECK(why == dt::ProcCheck::same);
  REQUIRE(fd >= 0);
  ::close(fd);

  SECTION("a reused pid: the record is from another start") {
    CHECK(dt::proc_adopt(c.pid, taia_from_ns(taia_ns(c.when) - 5'000 * ms), dir.get(), why) == -1);
    CHECK(why == dt::ProcCheck::other_start);
  }
  SECTION("another directory") {
    Child d("/");
    CHECK(dt::proc_adopt(d.pid, d.when, dir.get(), why) == -1);
    CHECK(why == dt::ProcCheck::other_dir);
  }
  SECTION("no process") {
    CHECK(dt::proc_adopt(0, c.when, dir.get(), why) == -1);
    CHECK(why == dt::ProcCheck::gone);
    c.stop();
    CHECK(dt::proc_adopt(0x3ffffff0, c.when, dir.get(), why) == -1);
    CHECK(why == dt::ProcCheck::gone);
  }
  SECTION("a zombie") {
    pid_t z = ::fork();
    REQUIRE(z >= 0);
    if (z == 0) _exit(0);
    dt::Taia when = dt::taia_now();
    // Wait until it is a zombie, without reaping it.
    siginfo_t si;
    REQUIRE(::waitid(P_PID, static_cast<id_t>(z), &si, WEXITED | WNOWAIT) == 0);
    CHECK(dt::proc_adopt(z, when, dir.get(), why) == -1);
    CHECK(why == dt::ProcCheck::zombie);
    int w;
    ::waitpid(z, &w, 0);
  }
  SECTION("a process supervise may not signal") {
    if (::geteuid() != 0) {
      // pid 1 belongs to root.
      CHECK(dt::proc_adopt(1, c.when, dir.get(), why) == -1);
      CHECK(why == dt::ProcCheck::denied);
      return;
    }
    // As root: ask from a child running as nobody about c (root's).
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t n = ::fork();
    REQUIRE(n >= 0);
    if (n == 0) {
      if (::setgid(65534) == -1 || ::setuid(65534) == -1) _exit(2);
      dt::ProcCheck w2;
      int r = dt::proc_adopt(c.pid, c.when, AT_FDCWD, w2);
      char b = static_cast<char>(r == -1 ? static_cast<int>(w2) : 100);
      if (::write(p[1], &b, 1) != 1) _exit(3);
      _exit(0);
    }
    ::close(p[1]);
    char b = 0;
    CHECK(dt::read_retry(p[0], &b, 1) == 1);
    ::close(p[0]);
    int w;
    ::waitpid(n, &w, 0);
    CHECK(static_cast<int>(b) == static_cast<int>(dt::ProcCheck::denied));
  }
}

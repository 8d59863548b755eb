// pathexec keeps its edits in process-wide state and replaces the process,
// so every case runs in a forked child that execs /usr/bin/env (or sh) with
// its output read back through a pipe.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "dt/pathexec.hpp"
#include "tempdir.hpp"

extern char** environ;

namespace {

struct Result {
  std::string out;
  int code = -1;
};

// Run body in a child with environ set to env and stdout on a pipe. body
// returns only when the exec failed: the child then prints "errno N".
template <class F>
Result in_child(std::vector<const char*> env, F body) {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(p[1], 1);
    ::close(p[0]);
    ::close(p[1]);
    env.push_back(nullptr);
    environ = const_cast<char**>(env.data());
    body();
    std::string msg = "errno " + std::to_string(errno) + "\n";
    ssize_t w = ::write(1, msg.data(), msg.size());
    (void)w;
    _exit(127);
  }
  ::close(p[1]);
  Result r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<std::size_t>(n));
  ::close(p[0]);
  int status;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

char* const env_argv[] = {const_cast<char*>("env"), nullptr};

// A scratch directory to put programs in.
struct TempDir : dt_test::TempDir {
  void file(const char* name, const char* text, mode_t mode) const {
    std::string cmd = "printf '" + std::string(text) + "' > '" + path + "/" + name + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    REQUIRE(::chmod((path + "/" + name).c_str(), mode) == 0);
  }
};

}  // namespace

TEST_CASE("pathexec: no edits, the environment passes unchanged") {
  Result r = in_child({"A=1", "PATH=/usr/bin:/bin", "A=2"}, [] { dt::pathexec(env_argv); });
  CHECK(r.code == 0);
  CHECK(r.out == "A=1\nPATH=/usr/bin:/bin\nA=2\n");
}

// The reference's order (daemontools 0.76, observed through envdir with
// duplicate entries): an edit removes only the first entry of its name, the
// last entry moving into its place, then a set is appended.
TEST_CASE("pathexec: each edit replaces the first entry of its name by the last, sets append in order") {
  Result r = in_child({"A=1", "B=2", "A=3", "AB=keep", "PATH=/usr/bin:/bin", "A"}, [] {
    dt::pathexec_env("A", "x");
    dt::pathexec_env("C", "y");
    dt::pathexec_env("B", nullptr);
    dt::pathexec_env("A", "z");
    dt::pathexec_env("E", "");
    dt::pathexec_env("NOTSET", nullptr);
    dt::pathexec(env_argv);
  });
  CHECK(r.code == 0);
  // "A" without "=" is not an entry named A; "AB" is another name.
  //   A=x:    A=1 goes, "A" takes its place;  A B=2 A=3 AB=keep PATH A=x
  //   C=y:    appended;                         ... A=x C=y
  //   B:      B=2 goes, C=y takes its place;  A C=y A=3 AB=keep PATH A=x
  //   A=z:    A=3 goes, A=x takes its place;  A C=y A=x AB=keep PATH A=z
  CHECK(r.out == "A\nC=y\nA=x\nAB=keep\nPATH=/usr/bin:/bin\nA=z\nE=\n");
}

TEST_CASE("pathexec: a value may hold '=' and a name may be unset then set") {
  Result r = in_child({"PATH=/usr/bin:/bin", "K=old"}, [] {
    dt::pathexec_env("K", nullptr);
    dt::pathexec_env("K", "a=b=c");
    dt::pathexec(env_argv);
  });
  CHECK(r.out == "PATH=/usr/bin:/bin\nK=a=b=c\n");
}

TEST_CASE("pathexec: an unset whose name holds '=' acts as a set") {
  // envdir's empty file "A=B" gives the edit "A=B": A=1 goes, A=B is added.
  Result r = in_child({"A=1", "PATH=/usr/bin:/bin", "C=3"}, [] {
    dt::pathexec_env("A=B", nullptr);
    dt::pathexec(env_argv);
  });
  CHECK(r.out == "C=3\nPATH=/usr/bin:/bin\nA=B\n");
}

TEST_CASE("pathexec: the edited PATH is not the one searched") {
  // The search uses the PATH of the running process, as daemontools does.
  Result r = in_child({"PATH=/usr/bin:/bin"}, [] {
    dt::pathexec_env("PATH", "/nonexistent");
    dt::pathexec(env_argv);
  });
  CHECK(r.code == 0);
  CHECK(r.out == "PATH=/nonexistent\n");
}

TEST_CASE("pathexec_run: argv and envp as given") {
  static char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"), const_cast<char*>("echo \"$0 $1 $X\""),
                               const_cast<char*>("zero"), const_cast<char*>("one"), nullptr};
  static char* const envp[] = {const_cast<char*>("X=ex"), nullptr};
  Result r = in_child({"PATH=/usr/bin:/bin", "X=not this"}, [] { dt::pathexec_run("/bin/sh", argv, envp); });
  CHECK(r.code == 0);
  CHECK(r.out == "zero one ex\n");
}

TEST_CASE("pathexec_run: PATH search") {
  TempDir d;
  d.file("prog", "#!/bin/sh\\necho found\\n", 0755);
  d.file("noexec", "#!/bin/sh\\necho no\\n", 0644);
  std::string path_d = "PATH=/nonexistent:" + d.path;
  static char* const argv[] = {const_cast<char*>("prog"), nullptr};
  static char* const argv_noexec[] = {const_cast<char*>("noexec"), nullptr};

  SECTION("found in a later entry") {
    Result r = in_child({path_d.c_str()}, [] { dt::pathexec_run("prog", argv, environ); });
    CHECK(r.out == "found\n");
  }
  SECTION("not found: ENOENT") {
    Result r = in_child({"PATH=/nonexistent:/also/not"}, [] { dt::pathexec_run("prog", argv, environ); });
    CHECK(r.out == "errno " + std::to_string(ENOENT) + "\n");
  }
  SECTION("not executable: EACCES remembered over a later ENOENT") {
    std::string p = "PATH=" + d.path + ":/nonexistent";
    Result r = in_child({p.c_str()}, [] { dt::pathexec_run("noexec", argv_noexec, environ); });
    CHECK(r.out == "errno " + std::to_string(EACCES) + "\n");
  }
  SECTION("an empty entry is the current directory") {
    std::string dir = d.path;
    Result r = in_child({"PATH=/nonexistent:"}, [&] {
      if (::chdir(dir.c_str()) != 0) _exit(99);
      dt::pathexec_run("prog", argv, environ);
    });
    CHECK(r.out == "found\n");
  }
  SECTION("no PATH: /bin:/usr/bin") {
    static char* const argv_env[] = {const_cast<char*>("env"), nullptr};
    Result r = in_child({"Y=1"}, [] { dt::pathexec_run("env", argv_env, environ); });
    CHECK(r.code == 0);
    CHECK(r.out == "Y=1\n");
  }
  SECTION("a name with a slash is not searched") {
    std::string p = "PATH=" + d.path;
    Result r = in_child({p.c_str()}, [] { dt::pathexec_run("./prog", argv, environ); });
    CHECK(r.out == "errno " + std::to_string(ENOENT) + "\n");
  }
}

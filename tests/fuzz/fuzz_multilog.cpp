// libFuzzer harness: multilog's script parsing and line processing, the
// program's own code (src/multilog.cpp compiled in, its main renamed):
// the script's actions (+ and - patterns, t, e, =, s, n, directories) and
// the lines read through matching, stamping, alerts, status files and the
// logs' writing and rotation.
//
// Input: the script, one action per line, then a NUL byte, then the input
// lines. Directory actions are mapped to log0..log2 and =file to st0..st2
// in a scratch directory; processors (!) are left out (they would run a
// program). The lines are multilog's standard input (a memfd on fd 0) and
// its own run() reads them to the end, as the program does.
//
// Only these names of multilog.cpp are used: script, logs, log_storage,
// stamp, in_line, long_line, line_len (reset between inputs), parse, run.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#define main multilog_main
#include "../../src/multilog.cpp"
#undef main

namespace {
void reset() {
  for (Action& a : script)
    if (a.fd >= 0) ::close(a.fd);
  script.clear();
  logs.clear();
  log_storage.clear();
  stamp = {};  // false, or the enum's "none"
  in_line = long_line = false;
  line_len = 0;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char tmpl[] = "/tmp/dt-fuzz-multilog.XXXXXX";
  if (!::mkdtemp(tmpl) || ::chdir(tmpl) != 0) std::abort();
  dt::progname = "multilog";
  if (dt::selfpipe_init() == -1) std::abort();
  int null = ::open("/dev/null", O_RDONLY);  // fd 0 taken for good
  if (null < 0 || (null != 0 && ::dup2(null, 0) != 0)) std::abort();
  if (null != 0) ::close(null);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  std::size_t nul = in.find('\0');
  std::string script_text = in.substr(0, nul);
  std::string lines = nul == std::string::npos ? std::string() : in.substr(nul + 1);

  std::vector<std::string> args{"multilog"};
  int ndirs = 0, nstatus = 0;
  for (std::size_t p = 0; p <= script_text.size() && args.size() < 32;) {
    std::size_t q = script_text.find('\n', p);
    if (q == std::string::npos) q = script_text.size();
    std::string a = script_text.substr(p, q - p);
    p = q + 1;
    if (!a.empty() && (a[0] == '.' || a[0] == '/')) {
      if (ndirs == 3) continue;
      a = "./log" + std::to_string(ndirs++);
    } else if (!a.empty() && a[0] == '=') {
      if (nstatus == 3) continue;
      a = "=st" + std::to_string(nstatus++);
    } else if (!a.empty() && a[0] == '!') {
      continue;
    }
    args.push_back(a);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  parse(static_cast<int>(args.size()), argv.data());
  // fd 0 is never left closed (a file multilog opens would take it).
  int input_fd = ::memfd_create("multilog-in", 0);
  if (input_fd <= 0 || !dt::write_all(input_fd, lines.data(), lines.size()) || ::lseek(input_fd, 0, SEEK_SET) != 0)
    std::abort();
  if (::dup2(input_fd, 0) != 0) std::abort();
  ::close(input_fd);
  run();
  int null = ::open("/dev/null", O_RDONLY);
  if (null <= 0 || ::dup2(null, 0) != 0) std::abort();
  ::close(null);
  reset();
  return 0;
}

// libFuzzer harness: dt::Getopt, the option parser of svc, setlock and
// softlimit. Input: an option string, a NUL byte, then arguments separated
// by NUL bytes. Checks: next() ends, ind() stays inside argv, every
// returned letter is one of the options (or '?'), a value is a pointer into
// an argument.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dt/error.hpp"
#include "dt/sgetopt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  std::size_t nul = in.find('\0');
  if (nul == std::string::npos) return 0;
  std::string opts = in.substr(0, nul);
  std::vector<std::string> args{"prog"};
  for (std::size_t p = nul + 1; p <= in.size();) {
    std::size_t q = in.find('\0', p);
    if (q == std::string::npos) q = in.size();
    args.push_back(in.substr(p, q - p));
    p = q + 1;
    if (args.size() > 64) break;
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  dt::progname = "prog";
  dt::Getopt g(argv.data(), opts.c_str());
  g.report = (size & 1) != 0;  // the messages, sometimes
  int argc = static_cast<int>(args.size());
  for (int steps = 0;; ++steps) {
    if (steps > 4 * static_cast<int>(size) + 8) std::abort();  // must end
    int c = g.next();
    if (g.ind() < 0 || g.ind() > argc) std::abort();
    if (c == -1) break;
    if (c == '?') continue;
    if (c == ':' || !std::strchr(opts.c_str(), c)) std::abort();
    const char* colon = std::strchr(opts.c_str(), c);
    if (colon[1] == ':') {
      const char* v = g.arg();
      if (!v) std::abort();
      bool inside = false;
      for (int i = 1; i < argc; ++i)
        if (v >= argv[i] && v <= argv[i] + std::strlen(argv[i])) inside = true;
      if (!inside) std::abort();
    }
  }
  if (g.rest() != argv.data() + g.ind()) std::abort();
  return 0;
}

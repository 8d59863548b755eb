#include "dt/pathexec.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace dt {

void pathexec_run(const char* file, char* const* argv, char* const* envp) {
  if (std::strchr(file, '/')) {
    ::execve(file, argv, envp);
    return;
  }
  // Nothing allocated: softlimit calls this after lowering the memory
  // limits, where a malloc fails (0.76 gets by with its small static pool).
  // A candidate too long for the kernel fails as execve would make it fail.
  const char* path = std::getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  std::size_t flen = std::strlen(file);
  int saved = 0;
  char candidate[PATH_MAX];
  for (;;) {
    const char* colon = std::strchr(path, ':');
    std::size_t len = colon ? static_cast<std::size_t>(colon - path) : std::strlen(path);
    std::size_t total = len ? len + 1 + flen : flen;
    if (total >= sizeof candidate) {
      errno = ENAMETOOLONG;
    } else {
      if (len) {
        std::memcpy(candidate, path, len);
        candidate[len] = '/';
        std::memcpy(candidate + len + 1, file, flen + 1);
      } else {
        std::memcpy(candidate, file, flen + 1);
      }
      ::execve(candidate, argv, envp);
    }
    if (errno != ENOENT) {
      saved = errno;
      if (errno != EACCES && errno != EPERM && errno != EISDIR) return;
    }
    if (!colon) break;
    path = colon + 1;
  }
  if (saved) errno = saved;
}

namespace {
// Each edit as the reference keeps it: "NAME=VALUE" or "NAME".
std::vector<std::string>& edits() {
  static std::vector<std::string> e;
  return e;
}
}  // namespace

void pathexec_env(std::string_view name, const char* value) {
  std::string e(name);
  if (value) {
    e += '=';
    e += value;
  }
  edits().push_back(std::move(e));
}

void pathexec(char* const* argv) {
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  for (std::string& ed : edits()) {
    std::string_view name(ed);
    std::size_t eq = name.find('=');
    if (eq != std::string_view::npos) name = name.substr(0, eq);
    // Only the first match goes, replaced by the last entry: the
    // reference's order, reproduced on purpose.
    for (std::size_t j = 0; j < env.size(); ++j) {
      std::string_view entry(env[j]);
      if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=') {
        env[j] = env.back();
        env.pop_back();
        break;
      }
    }
    if (eq != std::string_view::npos) env.push_back(ed.data());
  }
  env.push_back(nullptr);
  pathexec_run(argv[0], argv, env.data());
}

}  // namespace dt

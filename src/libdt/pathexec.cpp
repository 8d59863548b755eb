#include "dt/pathexec.hpp"

#include <unistd.h>

#include <cerrno>
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
  const char* path = std::getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  int saved = 0;
  std::string candidate;
  for (;;) {
    const char* colon = std::strchr(path, ':');
    std::size_t len = colon ? static_cast<std::size_t>(colon - path) : std::strlen(path);
    candidate.assign(path, len);
    if (len == 0)
      candidate = file;
    else {
      candidate += '/';
      candidate += file;
    }
    ::execve(candidate.c_str(), argv, envp);
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
struct Edit {
  std::string name;
  std::string value;
  bool set;
};
std::vector<Edit>& edits() {
  static std::vector<Edit> e;
  return e;
}
}  // namespace

void pathexec_env(std::string_view name, const char* value) {
  edits().push_back(Edit{std::string(name), value ? std::string(value) : std::string(), value != nullptr});
}

void pathexec(char* const* argv) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const Edit& ed : edits()) {
    std::erase_if(env, [&](const std::string& s) {
      return s.size() > ed.name.size() && s.compare(0, ed.name.size(), ed.name) == 0 && s[ed.name.size()] == '=';
    });
    if (ed.set) env.push_back(ed.name + "=" + ed.value);
  }
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  pathexec_run(argv[0], argv, envp.data());
}

}  // namespace dt

// LD_PRELOAD shim for tests: before main, replace the whole environment by
// the lines of $SHIM_ENVIRON, in order, duplicates and entries without '='
// included (which no shell can set up), so environment edits (envdir,
// envuidgid) can be compared exactly. LD_PRELOAD itself is gone with the
// rest, so the program's children run without the shim.
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace {
__attribute__((constructor)) void set_environ() {
  const char* spec = std::getenv("SHIM_ENVIRON");
  if (!spec) return;
  char* text = strdup(spec);
  if (!text) std::abort();
  std::size_t n = 1;
  for (const char* p = text; *p; ++p) n += *p == '\n';
  char** env = static_cast<char**>(std::calloc(n + 1, sizeof(char*)));
  if (!env) std::abort();
  std::size_t i = 0;
  for (char* line = *text ? text : nullptr; line;) {
    char* nl = std::strchr(line, '\n');
    if (nl) *nl = '\0';
    env[i++] = line;
    line = nl ? nl + 1 : nullptr;
  }
  env[i] = nullptr;
  environ = env;
}
}  // namespace

// libFuzzer harness: envdir's file reading, the program's own code
// (src/envdir.cpp compiled in, its main renamed; libdt's pathexec_env is
// replaced by one that records the edit). The input is written to a file;
// read_file must read it whole, and the edit must be the file's first line
// with trailing spaces and tabs removed and NULs turned into newlines
// (an empty file unsets).
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#define main envdir_main
#include "../../src/envdir.cpp"
#undef main

namespace {
std::string edit_name, edit_value;
bool edit_set = false;
int edits = 0;
}  // namespace

namespace dt {
void pathexec_env(std::string_view name, const char* value) {
  ++edits;
  edit_name = std::string(name);
  edit_set = value != nullptr;
  edit_value = value ? value : "";
}
}  // namespace dt

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char tmpl[] = "/tmp/dt-fuzz-envdir.XXXXXX";
  if (!::mkdtemp(tmpl) || ::chdir(tmpl) != 0) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  int fd = ::open("V", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || !dt::write_all(fd, in.data(), in.size())) std::abort();
  ::close(fd);
  std::string sa = "left over";
  if (!read_file("V", sa)) std::abort();
  if (sa != in) std::abort();
  edits = 0;
  edit_from("V", sa);
  if (edits != 1 || edit_name != "V") std::abort();
  if (in.empty()) {
    if (edit_set) std::abort();
  } else {
    std::string want(in.substr(0, in.find('\n')));
    while (!want.empty() && (want.back() == ' ' || want.back() == '\t')) want.pop_back();
    for (char& c : want)
      if (c == '\0') c = '\n';
    if (!edit_set || edit_value != want) std::abort();
  }
  // A missing file keeps what the last one left (with its NUL), as 0.76.
  std::string kept = sa;
  if (!read_file("missing", sa) || sa != kept) std::abort();
  return 0;
}

// envdir's main is compiled in but never run here.
namespace dt {
void pathexec(char* const*) { std::abort(); }
void pathexec_run(const char*, char* const*, char* const*) { std::abort(); }
}  // namespace dt

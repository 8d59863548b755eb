// readproctitle io errors: .....: shows the latest input at the end of the
// last argument, where ps(1) sees it.
#include <unistd.h>

#include <cstring>

#include "dt/error.hpp"
#include "dt/fd.hpp"

namespace {

constexpr std::size_t kept_dots = 3;  // always left at the front of the title
constexpr std::size_t min_title = 5;

// Shift the title left and append the new bytes. NUL bytes are dropped (as
// in the reference): one would cut the title short for ps.
void show(char* title, std::size_t len, const char* in, std::size_t n) {
  char* room = title + kept_dots;
  std::size_t width = len - kept_dots;
  for (std::size_t i = 0; i < n; ++i) {
    if (in[i] == 0) continue;
    std::memmove(room, room + 1, width - 1);
    room[width - 1] = in[i];
  }
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "readproctitle";
  // The reference exits 100 without a message when the title is missing or
  // shorter than five bytes; so do we.
  if (argc < 2) return dt::exit_perm;
  char* title = argv[argc - 1];
  std::size_t len = std::strlen(title);
  if (len < min_title) return dt::exit_perm;
  std::memset(title, '.', len);

  char buf[256];
  for (;;) {
    ssize_t r = dt::read_retry(0, buf, sizeof buf);
    if (r == 0) return 0;
    if (r < 0) return dt::exit_temp;  // silently, as the reference
    show(title, len, buf, static_cast<std::size_t>(r));
  }
}

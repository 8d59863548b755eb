// tai64n: put a TAI64N timestamp in front of every line of stdin.
// Arguments are ignored and errors are silent (exit 111), as in the reference.
// Each line is stamped when its first byte is processed: one clock read per
// line, like the reference; output is flushed before every read, so a line
// is passed on as soon as it (or part of it) arrives.
#include <unistd.h>

#include <cstring>
#include <string_view>

#include "dt/buffer.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/tai.hpp"

namespace {

constexpr std::size_t in_size = 65536;
constexpr std::size_t out_size = 131072;
char inbuf[in_size];
dt::BufferedWriter<out_size> out(1);

// The reference reports no trouble on stdin or stdout, it just exits 111.
[[noreturn]] void quit() { _exit(dt::exit_temp); }

// "@" + 24 hex digits + " ", reformatted only when the clock has moved.
class Stamp {
 public:
  std::string_view now() {
    dt::Taia t = dt::taia_now();
    if (t.sec.x != last_.sec.x || t.nano != last_.nano || !valid_) {
      dt::tain_fmt_label(text_, t);
      text_[dt::tain_label_size] = ' ';
      last_ = t;
      valid_ = true;
    }
    return {text_, sizeof text_};
  }

 private:
  char text_[dt::tain_label_size + 1];
  dt::Taia last_;
  bool valid_ = false;
};

void put(std::string_view s) {
  if (!out.put(s)) quit();
}

// Stamp and copy one chunk of input; returns whether it ended at a line end.
bool stamp_chunk(Stamp& stamp, const char* p, const char* end, bool at_start) {
  while (p < end) {
    if (at_start) put(stamp.now());
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* stop = nl ? nl + 1 : end;
    put(std::string_view(p, static_cast<std::size_t>(stop - p)));
    at_start = nl != nullptr;
    p = stop;
  }
  return at_start;
}

}  // namespace

int main() {
  dt::progname = "tai64n";
  Stamp stamp;
  bool at_start = true;
  for (;;) {
    ssize_t r = dt::read_retry(0, inbuf, sizeof inbuf);
    if (r < 0) quit();
    if (r == 0) break;
    at_start = stamp_chunk(stamp, inbuf, inbuf + r, at_start);
    if (!out.flush()) quit();
  }
  return 0;
}

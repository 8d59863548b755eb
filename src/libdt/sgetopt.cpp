#include "dt/sgetopt.hpp"

#include <cstring>
#include <string_view>

#include "dt/error.hpp"

namespace dt {

// The reference's sgetopt names the program by the last component of
// argv[0], not as its other messages do: a symlink "foo" to setlock says
// "foo: illegal option -- z".
static void problem_msg(const char* argv0, std::string_view what, char c) {
  const char* slash = std::strrchr(argv0, '/');
  const char* saved = progname;
  progname = slash ? slash + 1 : argv0;
  errmsg({what, std::string_view(&c, 1)});
  progname = saved;
}

int Getopt::next() {
  arg_ = nullptr;
  if (!argv_[0]) return -1;  // argc == 0
  if (pos_ == 0) {
    const char* a = argv_[ind_];
    if (!a || a[0] != '-' || a[1] == '\0') return -1;
    if (a[1] == '-') {  // "--" and anything starting with it: the end, dropped
      ++ind_;
      return -1;
    }
    pos_ = 1;
  }
  const char* a = argv_[ind_];
  char c = a[pos_++];
  const char* o = opts_;
  while (*o && (*o == ':' || *o != c)) ++o;
  bool last = a[pos_] == '\0';
  if (!*o) {
    if (last) ++ind_, pos_ = 0;
    problem_ = c;
    if (report) problem_msg(argv_[0], "illegal option -- ", c);
    return '?';
  }
  if (o[1] != ':') {
    if (last) ++ind_, pos_ = 0;
    return c;
  }
  // takes a value: the rest of this argument, else the next argument
  if (!last) {
    arg_ = a + pos_;
    ++ind_, pos_ = 0;
    return c;
  }
  ++ind_, pos_ = 0;
  if (!argv_[ind_]) {
    problem_ = c;
    if (report) problem_msg(argv_[0], "option requires an argument -- ", c);
    return '?';
  }
  arg_ = argv_[ind_++];
  return c;
}

}  // namespace dt

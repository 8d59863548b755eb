#include "dt/sgetopt.hpp"

#include <string_view>

#include "dt/error.hpp"

namespace dt {

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
    if (report) errmsg({"illegal option -- ", std::string_view(&c, 1)});
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
    if (report) errmsg({"option requires an argument -- ", std::string_view(&c, 1)});
    return '?';
  }
  arg_ = argv_[ind_++];
  return c;
}

}  // namespace dt

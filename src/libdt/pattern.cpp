#include "dt/pattern.hpp"

#include <cstring>

namespace dt {

bool pattern_match(std::string_view p, std::string_view s) {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    if (i == p.size()) return j == s.size();
    if (p[i] == '*') {
      ++i;
      if (i == p.size()) return true;
      // no backtracking: the star takes everything up to the next p[i]
      const void* hit = std::memchr(s.data() + j, p[i], s.size() - j);
      if (!hit) return false;
      j = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
      continue;
    }
    if (j == s.size() || p[i] != s[j]) return false;
    ++i;
    ++j;
  }
}

}  // namespace dt

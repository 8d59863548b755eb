#include "dt/fmt.hpp"

namespace dt {

std::size_t fmt_ulong(char* s, unsigned long u) {
  std::size_t len = 1;
  for (unsigned long q = u; q > 9; q /= 10) ++len;
  if (s) {
    s += len;
    do {
      *--s = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u);
  }
  return len;
}

void fmt_xfixed(char* s, std::uint64_t u, std::size_t digits) {
  static const char hex[] = "0123456789abcdef";
  for (std::size_t i = digits; i > 0; --i) {
    s[i - 1] = hex[u & 15];
    u >>= 4;
  }
}

}  // namespace dt

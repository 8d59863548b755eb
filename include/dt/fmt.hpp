// Number formatting and scanning, DJB's fmt_* / scan_* in C++.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dt {

inline constexpr std::size_t fmt_ulong_max = 20;  // digits of 2^64-1

// Write u in decimal to s (if s is not null); return the number of digits.
std::size_t fmt_ulong(char* s, unsigned long u);
// Lowercase hex, exactly `digits` digits (leading zeros kept).
void fmt_xfixed(char* s, std::uint64_t u, std::size_t digits);

// Decimal digits at the start of s into u; returns how many were used
// (0 if none). Every digit is used and the value wraps modulo 2^N, N the
// width of U, as 0.76's scan_ulong does: with 64 bits, multilog's
// s18446744073709551616 is 0, n18446744073709551618 is 2, softlimit's
// 99999999999999999999999 is 200376420520689663. softlimit scans into
// rlim_t (64 bits on every target: 32-bit builds use _FILE_OFFSET_BITS=64),
// multilog into unsigned long (32 bits on i386, as 0.76 there).
template <std::unsigned_integral U>
std::size_t scan_ulong(std::string_view s, U& u) {
  U result = 0;  // wraps, on purpose
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    unsigned c = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
    if (c > 9) break;
    result = static_cast<U>(result * 10U + c);
  }
  u = result;
  return i;
}

}  // namespace dt

// Number formatting and scanning, DJB's fmt_* / scan_* in C++.
#pragma once
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
// (0 if none). Every digit is used and the value wraps modulo 2^64 (2^32
// where unsigned long has 32 bits, as 0.76's does there), like 0.76's
// scan_ulong: multilog's
// s18446744073709551616 is 0, n18446744073709551618 is 2, softlimit's
// 99999999999999999999999 is 200376420520689663.
std::size_t scan_ulong(std::string_view s, unsigned long& u);
// Hex digit value, or -1.
int hexval(char c);

}  // namespace dt

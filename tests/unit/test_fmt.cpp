#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <string>

#include "dt/fmt.hpp"

namespace {
// What 0.76's scanner gives: every digit, wrapping in unsigned long.
unsigned long wrapped(const std::string& digits) {
  unsigned long u = 0;
  for (char c : digits) u = u * 10 + static_cast<unsigned long>(c - '0');
  return u;
}
}  // namespace

TEST_CASE("fmt_ulong at the limits") {
  char s[dt::fmt_ulong_max];
  CHECK(std::string(s, dt::fmt_ulong(s, 0)) == "0");
  CHECK(std::string(s, dt::fmt_ulong(s, ULONG_MAX)) == std::to_string(ULONG_MAX));
  CHECK(dt::fmt_ulong(nullptr, 12345) == 5);
  char x[4];
  dt::fmt_xfixed(x, 0xab, 4);
  CHECK(std::string(x, 4) == "00ab");
}

TEST_CASE("scan_ulong uses every digit and wraps like 0.76's") {
  unsigned long u = 7;
  CHECK(dt::scan_ulong("", u) == 0);
  CHECK(u == 0);
  CHECK(dt::scan_ulong("x1", u) == 0);
  CHECK(u == 0);
  CHECK(dt::scan_ulong("123x", u) == 3);
  CHECK(u == 123);
  CHECK(dt::scan_ulong(std::to_string(ULONG_MAX), u) == std::to_string(ULONG_MAX).size());
  CHECK(u == ULONG_MAX);
  // One past the maximum is 0, not a stop before the last digit.
  const std::string one_past = std::to_string(ULONG_MAX / 10) + std::to_string(ULONG_MAX % 10 + 1);
  CHECK(dt::scan_ulong(one_past, u) == one_past.size());
  CHECK(u == 0);
  for (const char* d : {"18446744073709551616", "18446744073709551618", "99999999999999999999999",
                        "4294967296", "4294967298", "000000000000000000000000000042"}) {
    std::string digits(d);
    CHECK(dt::scan_ulong(digits + "/", u) == digits.size());
    CHECK(u == wrapped(digits));
  }
  if constexpr (sizeof(unsigned long) == 8) {
    // The cases of issue 14, as the reference gives them on amd64.
    CHECK((dt::scan_ulong("18446744073709551616", u), u) == 0);
    CHECK((dt::scan_ulong("18446744073709551618", u), u) == 2);
    CHECK((dt::scan_ulong("99999999999999999999999", u), u) == 200376420520689663UL);
  } else {
    CHECK((dt::scan_ulong("4294967296", u), u) == 0);
    CHECK((dt::scan_ulong("4294967298", u), u) == 2);
  }
}

TEST_CASE("scan_ulong into 64 bits wraps modulo 2^64 on every target (softlimit's rlim_t)") {
  std::uint64_t u = 7;
  CHECK(dt::scan_ulong("18446744073709551615", u) == 20);
  CHECK(u == UINT64_MAX);
  CHECK((dt::scan_ulong("18446744073709551616", u), u) == 0);
  CHECK((dt::scan_ulong("18446744073709551618", u), u) == 2);
  CHECK((dt::scan_ulong("99999999999999999999999", u), u) == 200376420520689663ULL);
  std::uint8_t b = 0;
  CHECK(dt::scan_ulong("257", b) == 3);
  CHECK(b == 1);
}

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <string>

#include "dt/tai.hpp"

TEST_CASE("TAI64 label of the Unix epoch is 2^62 + 10") {
  CHECK(dt::tai_from_unix(0).x == 0x400000000000000aULL);
  CHECK(dt::tai_to_unix(dt::Tai{0x400000000000000aULL}) == 0);
  CHECK(dt::tai_to_unix(dt::tai_from_unix(-1)) == -1);
}

TEST_CASE("TAI64N label formats") {
  dt::Taia t;
  t.sec.x = 0x400000006b0260b7ULL;
  t.nano = 0x1085aed4;
  char s[dt::tain_label_size];
  dt::tain_fmt_label(s, t);
  CHECK(std::string(s, sizeof s) == "@400000006b0260b71085aed4");
}

TEST_CASE("TAI64N packs big-endian and round-trips at the limits") {
  dt::Taia t;
  t.sec.x = 0xffffffffffffffffULL;
  t.nano = 999999999;
  char p[12];
  dt::tain_pack(p, t);
  dt::Taia back = dt::tain_unpack(p);
  CHECK(back.sec.x == t.sec.x);
  CHECK(back.nano == t.nano);
  t.sec.x = 0x0102030405060708ULL;
  t.nano = 0x090a0b0c;
  dt::tain_pack(p, t);
  for (int i = 0; i < 12; ++i) CHECK(p[i] == i + 1);
}

TEST_CASE("taia_now ends in 500 ns, as the reference (microseconds * 1000 + 500)") {
  dt::Taia t = dt::taia_now();
  CHECK(t.nano % 1000 == 500);
  CHECK(t.nano < 1000000000u);
}

TEST_CASE("tain_fmt_nano: at least 9 digits, zero-padded") {
  char s[dt::tain_nano_max];
  CHECK(std::string(s, dt::tain_fmt_nano(s, 0)) == "000000000");
  CHECK(std::string(s, dt::tain_fmt_nano(s, 1500)) == "000001500");
  CHECK(std::string(s, dt::tain_fmt_nano(s, 999999999)) == "999999999");
  CHECK(std::string(s, dt::tain_fmt_nano(s, 1000000000)) == "1000000000");
  CHECK(std::string(s, dt::tain_fmt_nano(s, 4294967295u)) == "4294967295");
}

TEST_CASE("LocalSecond: localtime's date and time, the same text for the same second") {
  dt::LocalSecond ls;
  std::uint64_t sec = dt::tai_from_unix(1772953200).x;
  std::string_view a, b;
  REQUIRE(ls.format(sec, a));
  std::string first(a);
  struct tm tm;
  REQUIRE(dt::tai_localtime(dt::Tai{sec}, tm));
  char want[64];
  std::snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d.", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  CHECK(first == want);
  REQUIRE(ls.format(sec + 1, b));
  CHECK(std::string(b) != first);
  REQUIRE(ls.format(sec, a));
  CHECK(std::string(a) == first);
}

#include <catch2/catch.hpp>
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

#include <catch2/catch.hpp>
#include <cstring>

#include "dt/status.hpp"

// A record written by the reference supervise (daemontools 0.76): up,
// pid 2263, not paused, want up.
static const unsigned char reference_up[18] = {0x40, 0x00, 0x00, 0x00, 0x6b, 0x02, 0x60, 0x5c, 0x25,
                                               0xa8, 0x63, 0x74, 0xd7, 0x08, 0x00, 0x00, 0x00, 0x75};

TEST_CASE("status record decodes a reference record") {
  dt::Status st = dt::status_unpack(reinterpret_cast<const char*>(reference_up));
  CHECK(st.when.sec.x == 0x400000006b02605cULL);
  CHECK(st.when.nano == 631792500u);
  CHECK(st.pid == 2263u);
  CHECK_FALSE(st.paused);
  CHECK(st.want == 'u');
}

TEST_CASE("status record encodes byte for byte and round-trips") {
  dt::Status st;
  st.when.sec.x = 0x400000006b02605cULL;
  st.when.nano = 631792500u;
  st.pid = 2263;
  st.paused = false;
  st.want = 'u';
  char out[18];
  dt::status_pack(out, st);
  CHECK(std::memcmp(out, reference_up, 18) == 0);

  st.pid = 0xfffffffeu;
  st.paused = true;
  st.want = 0;
  dt::status_pack(out, st);
  CHECK(static_cast<unsigned char>(out[12]) == 0xfe);
  CHECK(static_cast<unsigned char>(out[15]) == 0xff);
  CHECK(out[16] == 1);
  CHECK(out[17] == 0);
  dt::Status back = dt::status_unpack(out);
  CHECK(back.pid == 0xfffffffeu);
  CHECK(back.paused);
  CHECK(back.want == 0);
  CHECK(back.when.sec.x == st.when.sec.x);
}

TEST_CASE("extended record: 0.76's 18 bytes, then state and marked flags") {
  dt::Status st;
  st.when = dt::Taia{dt::Tai{dt::tai_unix_offset + 1000}, 5};
  st.pid = 0x01020304;
  st.want = 'u';
  char plain[dt::status_ext_size] = {};
  REQUIRE(dt::status_pack(plain, st) == dt::status_size);
  st.extended = true;
  st.state = dt::SvState::starting;
  st.flags = dt::status_flag_ready_active;
  char ext[dt::status_ext_size] = {};
  REQUIRE(dt::status_pack(ext, st) == dt::status_ext_size);
  CHECK(std::memcmp(plain, ext, dt::status_size) == 0);
  CHECK(ext[18] == 1);
  CHECK(static_cast<unsigned char>(ext[19]) == 0x81);
  dt::Status back = dt::status_unpack(ext, sizeof ext);
  CHECK(back.extended);
  CHECK(back.state == dt::SvState::starting);
  CHECK(back.flags == dt::status_flag_ready_active);
  CHECK(back.pid == st.pid);
  // encore (byte 19 == 0) and runit (0..2) records are not ours.
  ext[19] = 0;
  CHECK_FALSE(dt::status_unpack(ext, sizeof ext).extended);
  ext[19] = 2;
  CHECK_FALSE(dt::status_unpack(ext, sizeof ext).extended);
  CHECK_FALSE(dt::status_unpack(ext, dt::status_size).extended);
}

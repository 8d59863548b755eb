#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "dt/fd.hpp"
#include "dt/status.hpp"
#include "dt/svstate.hpp"
#include "tempdir.hpp"

namespace {

using U = unsigned char;

dt::SvView decode(const U* b, std::size_t len, bool runit_stat = false) {
  dt::SvView v;
  REQUIRE(dt::svview_decode(reinterpret_cast<const char*>(b), len, runit_stat, v));
  return v;
}

// Records as the peers wrote them here (Debian daemontools 0.76, runit
// 2.1.2, s6 2.11.3.2), byte for byte.
const U dt076_up[18] = {0x40, 0, 0, 0, 0x6b, 0x02, 0x60, 0x5c, 0x25, 0xa8, 0x63, 0x74, 0xd7, 0x08, 0, 0, 0, 'u'};
const U runit_run[20] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x83, 0xde, 0x35, 0x5d, 0xa4, 0xdc, 0xf6, 0x29, 0, 0, 0, 'u', 0, 1};
const U runit_finish[20] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x83, 0xde, 0x35, 0x5d, 0xa4, 0xdc, 0x0a, 0x2a, 0, 0, 0, 'd', 0, 2};
const U runit_down[20] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x83, 0xe1, 0x18, 0x4e, 0xe4, 0x8c, 0, 0, 0, 0, 0, 'd', 0, 0};
const U s6_up[35] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x84, 0x01, 0x2c, 0x1c, 0x98, 0x43, 0x40, 0, 0, 0, 0x6b, 0x0e,
                     0x84, 0x01, 0x2c, 0x17, 0x81, 0xd1, 0, 0, 0, 0, 0, 0, 0x2a, 0x97, 0, 0, 0x04};
const U s6_finishing[35] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x84, 0x02, 0x0e, 0x73, 0xfd, 0x48, 0x40, 0, 0, 0, 0x6b, 0x0e,
                            0x84, 0x01, 0x2c, 0x17, 0x81, 0xd1, 0, 0, 0, 0, 0, 0, 0x2a, 0xd8, 0, 0x0f, 0x02};
const U s6_down_ready[35] = {0x40, 0, 0, 0, 0x6b, 0x0e, 0x84, 0x02, 0x0e, 0x73, 0xfd, 0x48, 0x40, 0, 0, 0, 0x6b, 0x0e,
                             0x84, 0x04, 0x0e, 0x8f, 0xc7, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x08};

}  // namespace

TEST_CASE("svstate: 0.76 record") {
  dt::SvView v = decode(dt076_up, 18);
  CHECK(v.format == dt::SvFormat::daemontools);
  CHECK(v.pid == 2263);
  CHECK(v.up);
  CHECK(v.ready);
  CHECK_FALSE(v.tells_ready);
  CHECK_FALSE(v.finishing);
  CHECK_FALSE(v.failed);
  CHECK(v.stamp.sec.x == 0x400000006b02605cULL);
  CHECK(v.stamp.nano == 0x25a86374u);
  U down[18];
  std::memcpy(down, dt076_up, 18);
  std::memset(down + 12, 0, 4);
  v = decode(down, 18);
  CHECK_FALSE(v.up);
  CHECK_FALSE(v.ready);
}

TEST_CASE("svstate: our extended record, every state") {
  dt::Status st;
  st.when.sec.x = 0x4000000012345678ULL;
  st.when.nano = 99;
  st.extended = true;
  char b[dt::status_ext_size];
  struct Case {
    std::uint32_t pid;
    dt::SvState state;
    std::uint8_t flags;
    bool up, ready, finishing, failed;
  };
  const Case cases[] = {
      {0, dt::SvState::stopped, 0, false, false, false, false},
      {7, dt::SvState::starting, dt::status_flag_ready_active, true, false, false, false},
      {7, dt::SvState::running, dt::status_flag_ready_active, true, true, false, false},
      {7, dt::SvState::running, 0, true, true, false, false},
      {7, dt::SvState::stopping, 0, true, false, false, false},
      {0, dt::SvState::stopping, dt::status_flag_finishing, false, false, true, false},
      {0, dt::SvState::failed, 0, false, false, false, true},
  };
  for (const Case& c : cases) {
    st.pid = c.pid;
    st.state = c.state;
    st.flags = c.flags;
    REQUIRE(dt::status_pack(b, st) == 20);
    dt::SvView v = decode(reinterpret_cast<const U*>(b), 20);
    CHECK(v.format == dt::SvFormat::extended);
    CHECK(v.tells_ready);
    CHECK(v.pid == c.pid);
    CHECK(v.up == c.up);
    CHECK(v.ready == c.ready);
    CHECK(v.finishing == c.finishing);
    CHECK(v.failed == c.failed);
    CHECK(v.stamp.sec.x == st.when.sec.x);
    CHECK(v.stamp.nano == 99);
  }
}

TEST_CASE("svstate: encore records (20 and 40 bytes), nosh's 87") {
  U b[87] = {};
  std::memcpy(b, dt076_up, 18);
  b[18] = 3;  // running
  dt::SvView v = decode(b, 20);
  CHECK(v.format == dt::SvFormat::encore);
  CHECK(v.up);
  CHECK_FALSE(v.tells_ready);
  v = decode(b, 40);
  CHECK(v.format == dt::SvFormat::encore);
  v = decode(b, 87);
  CHECK(v.format == dt::SvFormat::encore);
  std::memset(b + 12, 0, 4);  // no pid
  b[18] = 2;                  // started: ./start done, no ./run
  CHECK(decode(b, 20).up);
  b[18] = 0;
  CHECK_FALSE(decode(b, 20).up);
  b[18] = 4;  // stopping with no pid: ./stop running
  CHECK(decode(b, 20).finishing);
  b[18] = 5;
  v = decode(b, 20);
  CHECK(v.failed);
  CHECK_FALSE(v.up);
}

TEST_CASE("svstate: runit records") {
  dt::SvView v = decode(runit_run, 20);
  CHECK(v.format == dt::SvFormat::runit);
  CHECK(v.up);
  CHECK(v.pid == 0x29f6);
  v = decode(runit_finish, 20);
  CHECK(v.format == dt::SvFormat::runit);
  CHECK_FALSE(v.up);  // the pid is ./finish's
  CHECK(v.finishing);
  v = decode(runit_down, 20, true);
  CHECK(v.format == dt::SvFormat::runit);
  CHECK_FALSE(v.up);
  CHECK_FALSE(v.finishing);
  // without supervise/stat a down runit record reads as encore's: down too
  v = decode(runit_down, 20, false);
  CHECK(v.format == dt::SvFormat::encore);
  CHECK_FALSE(v.up);
  // runit's byte 19 = 0 with a pid: not running ./run (got TERM, down)
  U b[20];
  std::memcpy(b, runit_run, 20);
  b[19] = 0;
  CHECK_FALSE(decode(b, 20, true).up);
}

TEST_CASE("svstate: s6 records (35 bytes, 2.13's 43)") {
  dt::SvView v = decode(s6_up, 35);
  CHECK(v.format == dt::SvFormat::s6);
  CHECK(v.pid == 0x2a97);
  CHECK(v.up);
  CHECK(v.tells_ready);
  CHECK_FALSE(v.ready);  // no notification: flag 8 clear
  CHECK(v.stamp.sec.x == 0x400000006b0e8401ULL);
  CHECK(v.stamp.nano == 0x2c1c9843u);
  v = decode(s6_finishing, 35);
  CHECK_FALSE(v.up);
  CHECK(v.finishing);
  v = decode(s6_down_ready, 35);
  CHECK_FALSE(v.up);
  CHECK_FALSE(v.ready);  // "ready to start" when down is not ready
  CHECK_FALSE(v.finishing);
  U up_ready[35];
  std::memcpy(up_ready, s6_up, 35);
  up_ready[34] = 0x0c;
  CHECK(decode(up_ready, 35).ready);
  // 43 bytes: pid at 24, pgid at 32, wstat at 40, flags at 42
  U b43[43] = {};
  std::memcpy(b43, s6_up, 32);
  b43[42] = 0x0c;
  v = decode(b43, 43);
  CHECK(v.format == dt::SvFormat::s6);
  CHECK(v.pid == 0x2a97);
  CHECK(v.ready);
  b43[42] = 0x02;
  CHECK(decode(b43, 43).finishing);
  CHECK_FALSE(decode(b43, 43).up);
}

TEST_CASE("svstate: the marker counts only in exactly 20 bytes") {
  U b[40] = {};
  std::memcpy(b, dt076_up, 18);
  b[18] = 1;  // starting
  b[19] = 0x81;
  CHECK(decode(b, 20).format == dt::SvFormat::extended);
  CHECK_FALSE(decode(b, 20).ready);
  for (std::size_t len : {21, 30, 40}) {
    INFO("length " << len);
    CHECK(decode(b, len).format == dt::SvFormat::daemontools);
    CHECK(decode(b, len).ready);
  }
}

TEST_CASE("svstate: every length from 0 to 64") {
  // Bytes that would mean "up" in every layout: pid 1 where 0.76 keeps it
  // and where s6 does, state running, runit "run" not set.
  U b[64];
  std::memset(b, 0, sizeof b);
  std::memcpy(b, dt076_up, 18);
  b[31] = 1;
  for (std::size_t len = 0; len <= 64; ++len) {
    INFO("length " << len);
    dt::SvView v;
    bool ok = dt::svview_decode(reinterpret_cast<const char*>(b), len, false, v);
    if (len < 18) {
      CHECK_FALSE(ok);
      continue;
    }
    REQUIRE(ok);
    CHECK(v.up);
    dt::SvFormat want = dt::SvFormat::daemontools;
    if (len == 35 || len == 43) want = dt::SvFormat::s6;
    if (len == 20 || len >= 38) want = dt::SvFormat::encore;
    if (len == 43) want = dt::SvFormat::s6;
    CHECK(v.format == want);
  }
}

TEST_CASE("svstate: reading a directory's record and liveness") {
  dt_test::TempDir t;
  dt::Fd dir(::open(t.path.c_str(), O_PATH | O_DIRECTORY));
  REQUIRE(dir);
  const char* file = "";
  dt::SvView v;
  CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::absent);
  CHECK(dt::svview_read(dir.get(), v) == dt::SvRead::missing);
  REQUIRE(::mkdir((t / "supervise").c_str(), 0700) == 0);
  REQUIRE(::mkfifo((t / "supervise/ok").c_str(), 0600) == 0);
  CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::stopped);
  CHECK(std::string(file) == "supervise/ok");
  {
    dt::Fd reader(::open((t / "supervise/ok").c_str(), O_RDONLY | O_NONBLOCK));
    REQUIRE(reader);
    CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::running);
  }
  CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::stopped);
  // s6: no ok, its control pipe tells
  REQUIRE(::unlink((t / "supervise/ok").c_str()) == 0);
  REQUIRE(::mkfifo((t / "supervise/control").c_str(), 0600) == 0);
  CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::stopped);
  CHECK(std::string(file) == "supervise/control");
  {
    dt::Fd reader(::open((t / "supervise/control").c_str(), O_RDONLY | O_NONBLOCK));
    CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::running);
  }
  REQUIRE(::mkdir((t / "supervise/ok").c_str(), 0700) == 0);
  CHECK(dt::sv_live(dir.get(), &file) == dt::SvLive::failed);
  CHECK(errno == EISDIR);

  for (std::size_t len : {0, 17, 18, 20, 35, 64, 100}) {
    INFO("length " << len);
    dt::Fd f(::open((t / "supervise/status").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    char zero[100] = {};
    std::memcpy(zero, dt076_up, 18);
    REQUIRE(dt::write_all(f.get(), zero, len));
    CHECK(dt::svview_read(dir.get(), v) == (len < 18 ? dt::SvRead::too_short : dt::SvRead::ok));
  }
  // a runit down record is told from encore's by supervise/stat
  {
    dt::Fd f(::open((t / "supervise/status").c_str(), O_WRONLY | O_TRUNC));
    REQUIRE(dt::write_all(f.get(), runit_down, 20));
  }
  REQUIRE(dt::svview_read(dir.get(), v) == dt::SvRead::ok);
  CHECK(v.format == dt::SvFormat::encore);
  { dt::Fd f(::open((t / "supervise/stat").c_str(), O_WRONLY | O_CREAT, 0644)); }
  REQUIRE(dt::svview_read(dir.get(), v) == dt::SvRead::ok);
  CHECK(v.format == dt::SvFormat::runit);
  REQUIRE(::unlink((t / "supervise/status").c_str()) == 0);
  REQUIRE(::mkdir((t / "supervise/status").c_str(), 0700) == 0);
  CHECK(dt::svview_read(dir.get(), v) == dt::SvRead::read_failed);
  CHECK(errno == EISDIR);
}

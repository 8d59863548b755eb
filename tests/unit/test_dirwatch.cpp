#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "dt/dirwatch.hpp"

namespace {

struct Seen {
  dt::DirEvent ev;
  std::string name;
};

std::vector<Seen> drain(dt::DirWatch& w) {
  std::vector<Seen> out;
  struct pollfd p = {w.fd(), POLLIN, 0};
  while (::poll(&p, 1, 200) > 0) {
    REQUIRE(w.read());
    dt::DirEvent ev;
    std::string_view name;
    while (w.next(ev, name)) out.push_back({ev, std::string(name)});
  }
  return out;
}

}  // namespace

TEST_CASE("dirwatch reports entries appearing, by kind") {
  char tmpl[] = "/tmp/dt-dirwatch.XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  std::string d = tmpl;
  REQUIRE(::mkdir((d + "/outside").c_str(), 0755) == 0);
  dt::DirWatch w;
  REQUIRE(w.open((d + "/w").c_str()) == false);  // not there
  REQUIRE(::mkdir((d + "/w").c_str(), 0755) == 0);
  REQUIRE(w.open((d + "/w").c_str()));
  REQUIRE(w.fd() >= 0);

  REQUIRE(::mkdir((d + "/w/made").c_str(), 0755) == 0);
  REQUIRE(::rename((d + "/outside").c_str(), (d + "/w/moved").c_str()) == 0);
  REQUIRE(::symlink("/", (d + "/w/link").c_str()) == 0);
  REQUIRE(::rmdir((d + "/w/made").c_str()) == 0);  // removals are not reported
  auto seen = drain(w);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].ev == dt::DirEvent::created_dir);
  CHECK(seen[0].name == "made");
  CHECK(seen[1].ev == dt::DirEvent::appeared);
  CHECK(seen[1].name == "moved");
  CHECK(seen[2].ev == dt::DirEvent::appeared);
  CHECK(seen[2].name == "link");

  // the directory itself removed: the watch is lost
  REQUIRE(::rmdir((d + "/w/moved").c_str()) == 0);
  REQUIRE(::unlink((d + "/w/link").c_str()) == 0);
  REQUIRE(::rmdir((d + "/w").c_str()) == 0);
  seen = drain(w);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].ev == dt::DirEvent::lost);
  w.close();
  CHECK(w.fd() == -1);
  ::rmdir(d.c_str());
}

// svstat services: one line per service directory saying whether supervise
// runs there and what its status record says.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "dt/buffer.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/status.hpp"
#include "dt/svdir.hpp"

namespace {

dt::BufferedWriter<8192> out(1);

// One record for the whole run, as in 0.76: each read lands in it (a short
// read, reported as bad format, overwrites its first bytes), and a read
// error is not reported at all: the line shows what the record holds, the
// previous service's bytes or all zeros for the first.
char record[dt::status_size];

void put_reason(const char* what, int e) {
  out.put("unable to ");
  out.put(what);
  out.put(": ");
  out.put(dt::error_str(e));
}

void put_status(bool normally_up) {
  dt::Status st = dt::status_unpack(record);
  if (st.pid) {
    out.put("up (pid ");
    out.put_ulong(st.pid);
    out.put(") ");
  } else {
    out.put("down ");
  }
  out.put_ulong(dt::sv_seconds(dt::tai_now(), st.when.sec));
  out.put(" seconds");
  if (st.pid && !normally_up) out.put(", normally down");
  if (!st.pid && normally_up) out.put(", normally up");
  if (st.pid && st.paused) out.put(", paused");
  if (!st.pid && st.want == 'u') out.put(", want up");
  if (st.pid && st.want == 'd') out.put(", want down");
}

// The rest of the line, the current directory being the service's.
void show_service() {
  struct stat s;
  bool normally_up = true;
  if (::stat(dt::sv_down, &s) == 0) {
    normally_up = false;
  } else if (errno != ENOENT) {
    return put_reason("stat down", errno);
  }
  {
    dt::Fd ok(dt::sv_open_ok());
    if (!ok) {
      if (errno == ENXIO) return void(out.put("supervise not running"));
      return put_reason("open supervise/ok", errno);
    }
  }
  ssize_t r = dt::sv_read_status(record, sizeof record);
  if (r == dt::sv_open_failed) return put_reason("open supervise/status", errno);
  if (r >= 0 && static_cast<std::size_t>(r) < sizeof record) return void(out.put("unable to read supervise/status: bad format"));
  put_status(normally_up);
}

}  // namespace

int main(int argc, char** argv) {
  dt::progname = "svstat";
  int cwd = dt::open_cwd();  // held until exit
  if (cwd == -1) dt::die_sys(dt::exit_temp, "unable to open current directory");
  for (int i = 1; i < argc; ++i) {
    out.put(argv[i]);
    out.put(": ");
    if (::chdir(argv[i]) == -1) {
      put_reason("chdir", errno);
    } else {
      show_service();
    }
    out.put('\n');
    if (::fchdir(cwd) == -1) dt::die_sys(dt::exit_temp, "unable to set directory");
  }
  out.flush();  // a failed write to stdout is ignored, as 0.76 does
  return 0;
}

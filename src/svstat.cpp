// svstat services: one line per service directory saying whether supervise
// runs there and what its status record says. Beyond 0.76: a 20-byte record
// marked by our supervise (extended mode) adds daemontools-encore's words;
// every other record, encore's, runit's and s6's included, prints 0.76's
// line byte for byte. No options: 0.76 takes every argument as a directory.
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
// previous service's bytes or all zeros for the first. Up to 21 bytes are
// read: a record is ours only when it is exactly 20 bytes long with the
// marker in byte 19. The length matters: in s6's 35- and 43-byte records,
// byte 19 is the low byte of a TAI64 label, 0x80 or more half of the time.
char record[dt::status_ext_size + 1];
std::size_t record_len = 0;

// encore's words for its state byte (svstatus.h).
const char* state_word(dt::SvState s) {
  switch (s) {
    case dt::SvState::stopped: return ", stopped";
    case dt::SvState::starting: return ", starting";
    case dt::SvState::started: return ", started";
    case dt::SvState::running: return ", running";
    case dt::SvState::stopping: return ", stopping";
    case dt::SvState::failed: return ", failed";
  }
  return ", status unknown";
}

void put_reason(const char* what, int e) {
  out.put("unable to ");
  out.put(what);
  out.put(": ");
  out.put(dt::error_str(e));
}

void put_status(bool normally_up) {
  dt::Status st = dt::status_unpack(record, record_len == dt::status_ext_size ? dt::status_ext_size : dt::status_size);
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
  if (!st.extended) return;
  if (st.pid && st.want == 0) out.put(", once");
  out.put(state_word(st.state));
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
  record_len = r < 0 ? dt::status_size : static_cast<std::size_t>(r);  // a read error: 0.76's line
  if (record_len < dt::status_size) return void(out.put("unable to read supervise/status: bad format"));
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

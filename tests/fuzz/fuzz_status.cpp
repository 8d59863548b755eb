// libFuzzer harness: the supervise/status decoder (dt::status_unpack) on
// every length 0..64 of the input's prefix, as svstat/svok/svwait would meet
// a short, torn or foreign record; a decoded record packs back to the same
// bytes where the format says it must.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "dt/status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  char rec[64];
  std::size_t n = size < sizeof rec ? size : sizeof rec;
  std::memcpy(rec, data, n);
  for (std::size_t len = 0; len <= n; ++len) {
    // A reader must never look past len: give it a copy of exactly len bytes.
    char* copy = static_cast<char*>(std::malloc(len ? len : 1));
    std::memcpy(copy, rec, len);
    if (len >= dt::status_size) {
      dt::Status st = dt::status_unpack(copy, len);
      dt::Status old = dt::status_unpack(copy);
      if (old.extended) std::abort();
      if (st.pid != old.pid || st.paused != old.paused || st.want != old.want) std::abort();
      bool marked = len >= dt::status_ext_size && (static_cast<unsigned char>(copy[19]) & dt::status_marker);
      if (st.extended != marked) std::abort();
      char back[dt::status_ext_size];
      std::size_t w = dt::status_pack(back, st);
      if (w != (st.extended ? dt::status_ext_size : dt::status_size)) std::abort();
      // Time, pid and want round-trip whatever the bytes were.
      if (std::memcmp(back, copy, 16) != 0) std::abort();
      if (back[17] != copy[17]) std::abort();
      dt::Status again = dt::status_unpack(back, w);
      if (again.pid != st.pid || again.want != st.want || again.paused != st.paused ||
          again.extended != st.extended || again.state != st.state || again.flags != st.flags)
        std::abort();
    }
    std::free(copy);
  }
  return 0;
}

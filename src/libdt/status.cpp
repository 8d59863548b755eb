#include "dt/status.hpp"

namespace dt {

void status_pack(char* s, const Status& st) {
  tain_pack(s, st.when);
  std::uint32_t pid = st.pid;
  for (int i = 12; i < 16; ++i) {
    s[i] = static_cast<char>(pid & 255);
    pid >>= 8;
  }
  s[16] = st.paused ? 1 : 0;
  s[17] = st.want;
}

Status status_unpack(const char* s) {
  Status st;
  st.when = tain_unpack(s);
  std::uint32_t pid = 0;
  for (int i = 15; i >= 12; --i) pid = (pid << 8) | static_cast<unsigned char>(s[i]);
  st.pid = pid;
  st.paused = s[16] != 0;
  st.want = s[17];
  return st;
}

}  // namespace dt

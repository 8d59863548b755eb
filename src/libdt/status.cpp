#include "dt/status.hpp"

namespace dt {

std::size_t status_pack(char* s, const Status& st) {
  tain_pack(s, st.when);
  std::uint32_t pid = st.pid;
  for (int i = 12; i < 16; ++i) {
    s[i] = static_cast<char>(pid & 255);
    pid >>= 8;
  }
  s[16] = st.paused ? 1 : 0;
  s[17] = st.want;
  if (!st.extended) return status_size;
  s[18] = static_cast<char>(st.state);
  s[19] = static_cast<char>(status_marker | st.flags);
  return status_ext_size;
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

Status status_unpack(const char* s, std::size_t len) {
  Status st = status_unpack(s);
  if (len >= status_ext_size && (static_cast<unsigned char>(s[19]) & status_marker)) {
    st.extended = true;
    st.state = static_cast<SvState>(static_cast<unsigned char>(s[18]));
    st.flags = static_cast<std::uint8_t>(static_cast<unsigned char>(s[19]) & ~status_marker);
  }
  return st;
}

}  // namespace dt

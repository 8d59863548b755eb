// libFuzzer harness: the number scanner (dt::scan_ulong) that softlimit's
// limits and multilog's s and n use, into each width they use, against
// arithmetic modulo 2^64 done digit by digit in 128 bits.
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dt/fmt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  std::size_t digits = 0;
  unsigned __int128 model = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
    model = (model * 10 + static_cast<unsigned>(s[digits] - '0')) & UINT64_MAX;
    ++digits;
  }
  rlim_t r = 1;
  unsigned long ul = 1;
  std::uint32_t u32 = 1;
  if (dt::scan_ulong(s, r) != digits || r != static_cast<rlim_t>(model)) std::abort();
  if (dt::scan_ulong(s, ul) != digits || ul != static_cast<unsigned long>(model)) std::abort();
  if (dt::scan_ulong(s, u32) != digits || u32 != static_cast<std::uint32_t>(model)) std::abort();
  // softlimit takes a value only when every byte is a digit.
  bool usage = dt::scan_ulong(s, r) != s.size();
  bool any_other = false;
  for (char c : s)
    if (c < '0' || c > '9') any_other = true;
  if (usage != any_other) std::abort();
  return 0;
}

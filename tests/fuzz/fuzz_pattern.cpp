// libFuzzer harness: multilog's pattern matcher (dt::pattern_match) against
// a plain model of the rule include/dt/pattern.hpp states. Input: pattern,
// a NUL byte, text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dt/pattern.hpp"

namespace {
// The rule, written out the slow way: a star before the end takes the
// text up to (not including) the first occurrence of the pattern's next
// character, which must then follow (the text ending first is no match);
// a star at the end takes the rest; no backtracking.
bool model(std::string_view p, std::string_view t) {
  std::size_t i = 0, j = 0;
  while (i < p.size()) {
    if (p[i] == '*') {
      if (i + 1 == p.size()) return true;
      char next = p[i + 1];
      while (j < t.size() && t[j] != next) ++j;
      if (j == t.size()) return false;
      ++i;
      continue;
    }
    if (j == t.size() || t[j] != p[i]) return false;
    ++i;
    ++j;
  }
  return j == t.size();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nul = in.find('\0');
  std::string_view pattern = in.substr(0, nul);
  // (never a null data pointer: multilog's line is an array)
  std::string_view text = nul == std::string_view::npos ? in.substr(in.size()) : in.substr(nul + 1);
  if (dt::pattern_match(pattern, text) != model(pattern, text)) std::abort();
  return 0;
}

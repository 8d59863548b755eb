// libFuzzer harness: tai64nlocal's line conversion, the program's own code
// (src/tai64nlocal.cpp compiled in, its main renamed). The input is
// converted once whole and once cut into pieces at places the first bytes
// choose (the reads of a pipe): both must give the same bytes, and every
// input byte that is not part of a label must come out.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#define main tai64nlocal_main
#include "../../src/tai64nlocal.cpp"
#undef main

namespace {
int sink = -1;

std::string convert(const char* p, std::size_t n, const std::uint8_t* cuts, std::size_t ncuts) {
  if (::ftruncate(sink, 0) != 0 || ::lseek(sink, 0, SEEK_SET) != 0) std::abort();
  Converter conv;
  std::size_t done = 0, k = 0;
  while (done < n) {
    std::size_t piece = ncuts ? 1 + cuts[k++ % ncuts] % 64 : n - done;
    if (piece > n - done) piece = n - done;
    conv.chunk(p + done, p + done + piece);
    if (!out.flush()) std::abort();
    done += piece;
  }
  std::string got;
  if (::lseek(sink, 0, SEEK_SET) != 0) std::abort();
  char buf[65536];
  for (ssize_t r; (r = ::read(sink, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(r));
  return got;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("TZ", "America/New_York", 1);  // a zone with daylight saving
  sink = ::memfd_create("tai64nlocal-out", 0);
  if (sink < 0) std::abort();
  out.set_fd(sink);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t ncuts = data[0] % 8;
  if (size < 1 + ncuts) return 0;
  const char* text = reinterpret_cast<const char*>(data + 1 + ncuts);
  std::size_t n = size - 1 - ncuts;
  std::string whole = convert(text, n, nullptr, 0);
  std::string pieces = convert(text, n, data + 1, ncuts);
  if (whole != pieces) std::abort();
  // A line without a label at its start comes out unchanged.
  if (n > 0 && text[0] != '@') {
    const void* nl = std::memchr(text, '\n', n);
    std::size_t first = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text) + 1 : n;
    if (whole.compare(0, first, text, first) != 0) std::abort();
  }
  return 0;
}

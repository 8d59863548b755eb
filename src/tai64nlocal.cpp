// tai64nlocal: turn the TAI64N label at the start of each line into local
// time, "YYYY-MM-DD HH:MM:SS.NNNNNNNNN". Arguments are ignored and errors are
// silent (exit 111), as in the reference.
//
// Quirks of the reference kept on purpose:
// - after "@" every following lowercase hex digit is taken, however many;
//   the value is the last 24 of them (fewer digits: leading zeros);
//   uppercase hex ends the label like any other character;
// - the nanoseconds are printed in decimal, at least 9 digits (a value over
//   999999999 gets 10);
// - the year is (int)(tm_year + 1900) printed as an unsigned long, so years
//   before 0 or past 2^31-1 come out as huge numbers, not with a sign;
// - a label still being read at end of input is dropped.
// One difference: where the reference crashes (localtime cannot represent the
// time, e.g. "@" followed by no hex digit), the line is written unchanged.
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>

#include "dt/buffer.hpp"
#include "dt/error.hpp"
#include "dt/fd.hpp"
#include "dt/fmt.hpp"
#include "dt/tai.hpp"

namespace {

constexpr std::size_t in_size = 65536;
constexpr std::size_t out_size = 131072;
char inbuf[in_size];
dt::BufferedWriter<out_size> out(1);

constexpr std::size_t date_max = dt::LocalSecond::text_max;

[[noreturn]] void quit() { _exit(dt::exit_temp); }

void put(std::string_view s) {
  if (!out.put(s)) quit();
}

// Lowercase hex only, as the reference: digit value or -1, by table.
constexpr auto hex_table = [] {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<signed char>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<signed char>(c - 'a' + 10);
  return t;
}();
int lowerhex(char c) { return hex_table[static_cast<unsigned char>(c)]; }

enum class State { line_start, copy, label };

class Converter {
 public:
  Converter() { digits_.reserve(64); }

  void chunk(const char* p, const char* end) {
    while (p < end) {
      switch (state_) {
        case State::line_start:
          if (*p != '@') {
            state_ = State::copy;
          } else if (const char* q = whole_label(p, end)) {
            p = q;
            state_ = State::copy;
          } else {
            ++p;
            start_label();
          }
          break;
        case State::copy:
          p = copy(p, end);
          break;
        case State::label:
          p = label(p, end);
          break;
      }
    }
  }

 private:
  // The usual case, "@" + exactly 24 digits all in this chunk: converted
  // in one go. Returns where the rest of the line starts, or null.
  const char* whole_label(const char* p, const char* end) {
    if (end - p <= static_cast<std::ptrdiff_t>(dt::tain_label_size)) return nullptr;
    std::uint64_t sec = 0;
    std::uint32_t nano = 0;
    for (std::size_t i = 1; i < 17; ++i) {
      int d = lowerhex(p[i]);
      if (d < 0) return nullptr;
      sec = (sec << 4) | static_cast<unsigned>(d);
    }
    for (std::size_t i = 17; i < dt::tain_label_size; ++i) {
      int d = lowerhex(p[i]);
      if (d < 0) return nullptr;
      nano = (nano << 4) | static_cast<unsigned>(d);
    }
    if (lowerhex(p[dt::tain_label_size]) >= 0) return nullptr;
    std::string_view date;
    if (!local_.format(sec, date)) return nullptr;
    char text[date_max + dt::fmt_ulong_max];
    std::memcpy(text, date.data(), date.size());
    std::size_t n = date.size() + fmt_nano(text + date.size(), nano);
    put(std::string_view(text, n));
    return p + dt::tain_label_size;
  }

  static std::size_t fmt_nano(char* s, std::uint32_t nano) { return dt::tain_fmt_nano(s, nano); }

  void start_label() {
    state_ = State::label;
    sec_ = 0;
    nano_ = 0;
    digits_.clear();
  }

  const char* copy(const char* p, const char* end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* stop = nl ? nl + 1 : end;
    put(std::string_view(p, static_cast<std::size_t>(stop - p)));
    if (nl) state_ = State::line_start;
    return stop;
  }

  const char* label(const char* p, const char* end) {
    const char* q = p;
    for (; q < end; ++q) {
      int d = lowerhex(*q);
      if (d < 0) break;
      // A 96-bit accumulator: the seconds take what the nanoseconds shift out.
      sec_ = (sec_ << 4) | (nano_ >> 28);
      nano_ = (nano_ << 4) | static_cast<std::uint32_t>(d);
    }
    digits_.append(p, static_cast<std::size_t>(q - p));
    if (q < end) {
      emit();
      state_ = State::copy;
    }
    return q;
  }

  void emit() {
    std::string_view date;
    if (!local_.format(sec_, date)) {
      put("@");
      put(digits_);
      return;
    }
    put(date);
    char nano[dt::fmt_ulong_max];
    put(std::string_view(nano, fmt_nano(nano, nano_)));
  }

  State state_ = State::line_start;
  std::uint64_t sec_ = 0;
  std::uint32_t nano_ = 0;
  std::string digits_;  // the label's digits as read, for a line left unchanged
  dt::LocalSecond local_;
};

}  // namespace

int main() {
  dt::progname = "tai64nlocal";
  Converter conv;
  for (;;) {
    ssize_t r = dt::read_retry(0, inbuf, sizeof inbuf);
    if (r < 0) quit();
    if (r == 0) break;
    conv.chunk(inbuf, inbuf + r);
    if (!out.flush()) quit();
  }
  return 0;
}

#include "dt/tai.hpp"

#include <sys/time.h>

#include "dt/fmt.hpp"

namespace dt {

Tai tai_from_unix(std::int64_t unix_seconds) { return Tai{tai_unix_offset + static_cast<std::uint64_t>(unix_seconds)}; }
std::int64_t tai_to_unix(Tai t) { return static_cast<std::int64_t>(t.x - tai_unix_offset); }

Tai tai_now() { return tai_from_unix(static_cast<std::int64_t>(::time(nullptr))); }

Taia taia_now() {
  struct timeval tv;
  ::gettimeofday(&tv, nullptr);
  Taia t;
  t.sec = tai_from_unix(tv.tv_sec);
  t.nano = static_cast<std::uint32_t>(1000 * tv.tv_usec + 500);
  return t;
}

void tai_pack(char* s, Tai t) {
  std::uint64_t x = t.x;
  for (int i = 7; i >= 0; --i) {
    s[i] = static_cast<char>(x & 255);
    x >>= 8;
  }
}

Tai tai_unpack(const char* s) {
  std::uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<unsigned char>(s[i]);
  return Tai{x};
}

void tain_pack(char* s, const Taia& t) {
  tai_pack(s, t.sec);
  std::uint32_t n = t.nano;
  for (int i = 11; i >= 8; --i) {
    s[i] = static_cast<char>(n & 255);
    n >>= 8;
  }
}

Taia tain_unpack(const char* s) {
  Taia t;
  t.sec = tai_unpack(s);
  std::uint32_t n = 0;
  for (int i = 8; i < 12; ++i) n = (n << 8) | static_cast<unsigned char>(s[i]);
  t.nano = n;
  return t;
}

void tain_fmt_label(char* s, const Taia& t) {
  s[0] = '@';
  fmt_xfixed(s + 1, t.sec.x, 16);
  fmt_xfixed(s + 17, t.nano, 8);
}

bool tai_localtime(Tai t, struct tm& out) {
  static bool tz_loaded = false;
  if (!tz_loaded) {
    ::tzset();
    tz_loaded = true;
  }
  time_t u = static_cast<time_t>(tai_to_unix(t));
  return ::localtime_r(&u, &out) != nullptr;
}

bool LocalSecond::format(std::uint64_t sec, std::string_view& text) {
  if (!valid_ || sec != sec_) {
    sec_ = sec;
    valid_ = true;
    ok_ = fill(sec);
  }
  text = std::string_view(text_, len_);
  return ok_;
}

bool LocalSecond::fill(std::uint64_t sec) {
  struct tm tm;
  len_ = 0;
  if (!tai_localtime(Tai{sec}, tm)) return false;
  // int arithmetic wrapping like the reference's, then shown unsigned.
  int year = static_cast<int>(static_cast<unsigned>(tm.tm_year) + 1900u);
  len_ = fmt_ulong(text_, static_cast<unsigned long>(static_cast<long>(year)));
  add2('-', tm.tm_mon + 1);
  add2('-', tm.tm_mday);
  add2(' ', tm.tm_hour);
  add2(':', tm.tm_min);
  add2(':', tm.tm_sec);
  text_[len_++] = '.';
  return true;
}

void LocalSecond::add2(char sep, int v) {
  text_[len_++] = sep;
  text_[len_++] = static_cast<char>('0' + v / 10);
  text_[len_++] = static_cast<char>('0' + v % 10);
}

std::size_t tain_fmt_nano(char* s, std::uint32_t nano) {
  if (nano < 1000000000u) {
    for (int i = 8; i >= 0; --i) {
      s[i] = static_cast<char>('0' + nano % 10);
      nano /= 10;
    }
    return 9;
  }
  return fmt_ulong(s, nano);
}

}  // namespace dt

// TAI64 / TAI64N time as daemontools computes it. TAI is taken as UTC + 10 s
// with no leap-second table (a quirk kept on purpose: tai64nlocal undoes
// exactly that), so a label is 2^62 + 10 + Unix seconds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string_view>

namespace dt {

inline constexpr std::uint64_t tai_unix_offset = (std::uint64_t{1} << 62) + 10;

struct Tai {
  std::uint64_t x = 0;  // TAI64 label
};
struct Taia {
  Tai sec;
  std::uint32_t nano = 0;
};

inline constexpr std::size_t tai_pack_size = 8;     // TAI64 label, big-endian
inline constexpr std::size_t tain_pack_size = 12;   // TAI64N: label + nanoseconds
inline constexpr std::size_t tain_label_size = 25;  // "@" + 24 lowercase hex digits

Tai tai_now();
Taia taia_now();
Tai tai_from_unix(std::int64_t unix_seconds);
std::int64_t tai_to_unix(Tai t);

void tai_pack(char* s, Tai t);
Tai tai_unpack(const char* s);
void tain_pack(char* s, const Taia& t);
Taia tain_unpack(const char* s);

// "@" + 24 lowercase hex digits, as tai64n writes it (no trailing space).
void tain_fmt_label(char* s, const Taia& t);

// Local broken-down time for a label (time zone loaded once per process).
bool tai_localtime(Tai t, struct tm& out);

// "YYYY-MM-DD HH:MM:SS." in local time for a TAI64 second, as tai64nlocal
// prints it (the year as an unsigned number, so one outside 0..2^31-1 comes
// out huge, as in the reference). The text of the last second asked for is
// kept, so localtime runs once per distinct second.
class LocalSecond {
 public:
  static constexpr std::size_t text_max = 20 + 16;  // year, "-MM-DD HH:MM:SS."
  // False when localtime cannot represent the time.
  bool format(std::uint64_t sec, std::string_view& text);

 private:
  bool fill(std::uint64_t sec);
  void add2(char sep, int v);
  char text_[text_max];
  std::size_t len_ = 0;
  std::uint64_t sec_ = 0;
  bool valid_ = false;
  bool ok_ = false;
};

// Nanoseconds as tai64nlocal prints them: at least 9 digits, zero-padded
// (a value over 999999999 gets 10). Returns the digits written.
inline constexpr std::size_t tain_nano_max = 10;
std::size_t tain_fmt_nano(char* s, std::uint32_t nano);

}  // namespace dt

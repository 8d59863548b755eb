// Small settings files in a service directory, read by supervise beyond
// 0.76 (notification-fd, timeout-kill, timeout-finish, down-signal), with
// s6's formats: one value, up to the first newline (the newline itself is
// optional). Nothing here allocates.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dt {

enum class SvFile {
  absent,   // no such file (ENOENT): the setting is not used
  ok,       // read and valid
  error,    // open or read failed (errno set): a directory, unreadable, ...
  invalid,  // read, but not a valid value
};

// The contents of path up to the first newline (at most 64 bytes are
// read), opened O_RDONLY|O_NONBLOCK|O_CLOEXEC; absent, ok (text set; it may
// be empty), or error.
inline constexpr std::size_t svfile_max = 64;
SvFile svfile_read(const char* path, char (&buf)[svfile_max], std::string_view& text);

// An unsigned decimal number, all of text, at most max: false for an empty
// text, a sign, any other character, or a value above max.
bool svfile_uint(std::string_view text, std::uint64_t max, std::uint64_t& value);

// A signal: a number 1..64, or a name with or without "SIG", in any case
// (HUP, sighup, SigHup); 0 when text is none of these.
int svfile_signal(std::string_view text);

// Both steps: read path and scan it as a number (at most max) or a signal.
SvFile svfile_read_uint(const char* path, std::uint64_t max, std::uint64_t& value);
SvFile svfile_read_signal(const char* path, int& sig);

}  // namespace dt

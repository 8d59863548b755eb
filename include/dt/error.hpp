// DJB-style error reporting: "prog: fatal: unable to VERB OBJECT: REASON".
// REASON comes from daemontools' own errno wording (error_str), not strerror.
// Exit codes: 100 for usage and permanent errors, 111 for temporary ones.
#pragma once
#include <cerrno>
#include <initializer_list>
#include <string_view>

namespace dt {

inline constexpr int exit_perm = 100;
inline constexpr int exit_temp = 111;

// Set first thing in main(); every message starts with it.
extern const char* progname;

// daemontools' wording for an errno value ("file does not exist", ...).
const char* error_str(int e);

// Write "progname: " + parts + "\n" to fd 2 with a single writev(2), never
// cut whatever its length; errno is left as it was.
void errmsg(std::initializer_list<std::string_view> parts);
[[noreturn]] void errmsg_exit(int code, std::initializer_list<std::string_view> parts);

// "prog: usage: USAGE", exit 100.
[[noreturn]] void die_usage(std::string_view usage);

// "prog: fatal: PARTS", exit code.
template <class... A> [[noreturn]] void die(int code, const A&... a) {
  errmsg_exit(code, {std::string_view("fatal: "), std::string_view(a)...});
}
// "prog: fatal: PARTS: REASON" with REASON from the current errno.
template <class... A> [[noreturn]] void die_sys(int code, const A&... a) {
  const char* why = error_str(errno);
  errmsg_exit(code, {std::string_view("fatal: "), std::string_view(a)..., std::string_view(": "), std::string_view(why)});
}
// "prog: warning: PARTS".
template <class... A> void warn(const A&... a) {
  errmsg({std::string_view("warning: "), std::string_view(a)...});
}
// "prog: warning: PARTS: REASON".
template <class... A> void warn_sys(const A&... a) {
  const char* why = error_str(errno);
  errmsg({std::string_view("warning: "), std::string_view(a)..., std::string_view(": "), std::string_view(why)});
}

}  // namespace dt

#include "dt/svfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "dt/fd.hpp"

namespace dt {

SvFile svfile_read(const char* path, char (&buf)[svfile_max], std::string_view& text) {
  Fd fd(open_retry(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return errno == ENOENT ? SvFile::absent : SvFile::error;
  std::size_t len = 0;
  while (len < svfile_max) {
    ssize_t r = read_retry(fd.get(), buf + len, svfile_max - len);
    if (r == -1) return SvFile::error;
    if (r == 0) break;
    len += static_cast<std::size_t>(r);
  }
  text = std::string_view(buf, len);
  std::size_t nl = text.find('\n');
  if (nl != std::string_view::npos) text = text.substr(0, nl);
  return SvFile::ok;
}

bool svfile_uint(std::string_view text, std::uint64_t max, std::uint64_t& value) {
  if (text.empty()) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    unsigned d = static_cast<unsigned>(c - '0');
    if (d > max || v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  value = v;
  return true;
}

namespace {

struct SigName {
  const char* name;
  int sig;
};
constexpr SigName sig_names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT},   {"ILL", SIGILL},     {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},     {"FPE", SIGFPE},     {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},   {"PIPE", SIGPIPE},   {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CONT", SIGCONT},   {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},   {"URG", SIGURG},     {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},   {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"POLL", SIGPOLL}, {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool same_upper(std::string_view text, std::string_view name) {
  if (text.size() != name.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (upper(text[i]) != name[i]) return false;
  return true;
}

}  // namespace

int svfile_signal(std::string_view text) {
  std::uint64_t n;
  if (svfile_uint(text, 64, n)) return static_cast<int>(n);  // 0 stays "none"
  if (text.size() > 3 && same_upper(text.substr(0, 3), "SIG")) text.remove_prefix(3);
  for (const SigName& s : sig_names)
    if (same_upper(text, s.name)) return s.sig;
  return 0;
}

SvFile svfile_read_uint(const char* path, std::uint64_t max, std::uint64_t& value) {
  char buf[svfile_max];
  std::string_view text;
  SvFile r = svfile_read(path, buf, text);
  if (r != SvFile::ok) return r;
  return svfile_uint(text, max, value) ? SvFile::ok : SvFile::invalid;
}

SvFile svfile_read_signal(const char* path, int& sig) {
  char buf[svfile_max];
  std::string_view text;
  SvFile r = svfile_read(path, buf, text);
  if (r != SvFile::ok) return r;
  sig = svfile_signal(text);
  return sig ? SvFile::ok : SvFile::invalid;
}

}  // namespace dt

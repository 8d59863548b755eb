#include "dt/error.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cstdlib>

namespace dt {

namespace {
// Write iov[0..n) to fd 2, going on after short writes.
void flush_iov(iovec* iov, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::writev(2, iov, static_cast<int>(n));
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    auto done = static_cast<std::size_t>(w);
    while (n > 0 && done >= iov->iov_len) {
      done -= iov->iov_len;
      ++iov;
      --n;
    }
    if (n > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + done;
      iov->iov_len -= done;
    }
  }
}
}  // namespace

const char* progname = "daemontools";

const char* error_str(int e) {
  // The wording daemontools 0.76 prints, observed errno by errno on the
  // reference (Linux numbering); anything else is "unknown error".
  switch (e) {
    case 0: return "no error";
    case EPERM: return "permission denied";
    case ENOENT: return "file does not exist";
    case ESRCH: return "no such process";
    case EINTR: return "interrupted system call";
    case EIO: return "input/output error";
    case ENXIO: return "device not configured";
    case E2BIG: return "argument list too long";
    case ENOEXEC: return "exec format error";
    case EBADF: return "file descriptor not open";
    case ECHILD: return "no child processes";
    case EAGAIN: return "temporary failure";
    case ENOMEM: return "out of memory";
    case EACCES: return "access denied";
    case EFAULT: return "bad address";
    case ENOTBLK: return "not a block device";
    case EBUSY: return "device busy";
    case EEXIST: return "file already exists";
    case EXDEV: return "cross-device link";
    case ENODEV: return "device does not support operation";
    case ENOTDIR: return "not a directory";
    case EISDIR: return "is a directory";
    case EINVAL: return "invalid argument";
    case ENFILE: return "system cannot open more files";
    case EMFILE: return "process cannot open more files";
    case ENOTTY: return "not a tty";
    case ETXTBSY: return "text busy";
    case EFBIG: return "file too big";
    case ENOSPC: return "out of disk space";
    case ESPIPE: return "unseekable descriptor";
    case EROFS: return "read-only file system";
    case EMLINK: return "too many links";
    case EPIPE: return "broken pipe";
    case EDOM: return "input out of range";
    case ERANGE: return "output out of range";
    case EDEADLK: return "operation would cause deadlock";
    case ENAMETOOLONG: return "file name too long";
    case ENOLCK: return "no locks available";
    case ENOSYS: return "system call not available";
    case ENOTEMPTY: return "directory not empty";
    case ELOOP: return "symbolic link loop";
    case ENOMSG: return "no message of desired type";
    case EIDRM: return "identifier removed";
    case ENOSTR: return "not a stream device";
    case ETIME: return "timer expired";
    case ENOSR: return "out of stream resources";
    case ENONET: return "machine not on network";
    case EREMOTE: return "too many levels of remote in path";
    case ENOLINK: return "link severed";
    case EADV: return "advertise error";
    case ESRMNT: return "srmount error";
    case ECOMM: return "communication error";
    case EPROTO: return "protocol error";
    case EMULTIHOP: return "multihop attempted";
    case EBADMSG: return "bad message type";
    case EREMCHG: return "remote address changed";
    case EUSERS: return "too many users";
    case ENOTSOCK: return "not a socket";
    case EDESTADDRREQ: return "destination address required";
    case EMSGSIZE: return "message too long";
    case EPROTOTYPE: return "incorrect protocol type";
    case ENOPROTOOPT: return "protocol not available";
    case EPROTONOSUPPORT: return "protocol not supported";
    case ESOCKTNOSUPPORT: return "socket type not supported";
    case EOPNOTSUPP: return "operation not supported";
    case EPFNOSUPPORT: return "protocol family not supported";
    case EAFNOSUPPORT: return "address family not supported";
    case EADDRINUSE: return "address already used";
    case EADDRNOTAVAIL: return "address not available";
    case ENETDOWN: return "network down";
    case ENETUNREACH: return "network unreachable";
    case ENETRESET: return "network reset";
    case ECONNABORTED: return "connection aborted";
    case ECONNRESET: return "connection reset";
    case ENOBUFS: return "out of buffer space";
    case EISCONN: return "already connected";
    case ENOTCONN: return "not connected";
    case ESHUTDOWN: return "socket shut down";
    case ETOOMANYREFS: return "too many references";
    case ETIMEDOUT: return "timed out";
    case ECONNREFUSED: return "connection refused";
    case EHOSTDOWN: return "host down";
    case EHOSTUNREACH: return "host unreachable";
    case EALREADY: return "operation already in progress";
    case EINPROGRESS: return "operation in progress";
    case ESTALE: return "stale NFS file handle";
    case EDQUOT: return "disk quota exceeded";
    default: return "unknown error";
  }
}

void errmsg(std::initializer_list<std::string_view> parts) {
  // One writev of every part, never cut (0.76 prints a message of any
  // length): a single system call, so a message up to PIPE_BUF reaches
  // readproctitle's pipe in one piece. Nothing is allocated (out of memory
  // is reported through here too). A short write continues where it
  // stopped; an error (EINTR retried) gives up, as nothing could be said.
  int saved = errno;
  constexpr std::size_t max_iov = 64;
  iovec iov[max_iov];
  std::size_t n = 0;
  auto add = [&](std::string_view s) {
    if (s.empty()) return;
    if (n == max_iov) {  // more parts than any caller has: write those so far
      flush_iov(iov, n);
      n = 0;
    }
    iov[n].iov_base = const_cast<char*>(s.data());
    iov[n].iov_len = s.size();
    ++n;
  };
  add(progname);
  add(": ");
  for (auto p : parts) add(p);
  add("\n");
  flush_iov(iov, n);
  errno = saved;
}

void errmsg_exit(int code, std::initializer_list<std::string_view> parts) {
  errmsg(parts);
  _exit(code);
}

void die_usage(std::string_view usage) { errmsg_exit(exit_perm, {"usage: ", usage}); }

}  // namespace dt

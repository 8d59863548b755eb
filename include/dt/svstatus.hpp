// Writing supervise/status the way supervise 0.76 does: the record goes to
// supervise/status.new (O_WRONLY|O_CREAT|O_TRUNC|O_NONBLOCK, mode 0644), which
// is then renamed over supervise/status, so a reader sees the old record or
// the new one, never a torn one. Paths are relative to the service directory.
#pragma once
#include "dt/status.hpp"
#include "dt/svdir.hpp"

namespace dt {

inline constexpr const char sv_status_new[] = "supervise/status.new";

// Which step failed (errno set), or done. A failed write leaves status.new
// behind and status untouched.
enum class StatusStep { done, open, write, rename };
StatusStep status_write(const Status& st);

}  // namespace dt

// Running programs the way daemontools does (pathexec).
//
// PATH search: a name containing '/' is run as it is. Otherwise each PATH
// entry is tried in order ("/bin:/usr/bin" when PATH is unset; an empty entry
// means the current directory). "Not found" moves on; "access denied",
// "permission denied" and "is a directory" are remembered and the search
// goes on; any other error stops it. On failure errno is the remembered
// error, else the last one.
//
// Environment edits (envdir, envuidgid): each edit removes every entry of
// that name from the environment; a set appends NAME=VALUE at the end, in
// the order the edits were made.
#pragma once
#include <string_view>

namespace dt {

// Returns only on failure, with errno set.
void pathexec_run(const char* file, char* const* argv, char* const* envp);

// Record an environment edit for the next pathexec(); value null unsets.
void pathexec_env(std::string_view name, const char* value);
// Run argv[0] with the edited environment; returns only on failure.
void pathexec(char* const* argv);

}  // namespace dt

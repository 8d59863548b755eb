// Running programs the way daemontools does (pathexec).
//
// PATH search: a name containing '/' is run as it is. Otherwise each PATH
// entry is tried in order ("/bin:/usr/bin" when PATH is unset; an empty entry
// means the current directory). "Not found" moves on; "access denied",
// "permission denied" and "is a directory" are remembered and the search
// goes on; any other error stops it. On failure errno is the remembered
// error, else the last one.
//
// Environment edits (envdir, envuidgid), applied in the order made, as the
// reference does (observed with duplicate entries; see envdir.sh):
// an edit is the text NAME=VALUE for a set, NAME alone for an unset. Its
// name is the text up to its first '='. The FIRST entry of that name is
// removed, the last entry moving into its place; then an edit that holds
// a '=' is appended. So "A=1 B=2 A=3 C=4" edited A=v gives "C=4 B=2 A=3
// A=v", and an unset of a name holding '=' ("A=B", from envdir's empty
// file A=B) behaves as the set A=B.
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

// Option parsing as daemontools' programs do it (DJB's sgetopt): options
// come first, clustered or not ("-ab", "-a -b"); an option that takes a
// value has it in the rest of its argument ("-m100") or in the next one
// ("-m 100", even "-m --"); "-" alone is the first operand; an argument
// starting with "--" ends the options and is dropped (so "--x" does too,
// as in the reference).
//
// Errors are reported the way the reference does, before the program's own
// usage line: "prog: illegal option -- z" for an unknown option, "prog:
// option requires an argument -- m" for a missing value; next() then
// returns '?'.
#pragma once

namespace dt {

class Getopt {
 public:
  // opts: the option letters, each followed by ':' if it takes a value.
  Getopt(char** argv, const char* opts) : argv_(argv), opts_(opts), ind_(argv[0] ? 1 : 0) {}

  // The next option letter, '?' on an error (reported unless report is
  // false), or -1 at the end of the options; operands then start at ind().
  int next();
  // The value of the option next() returned, for one that takes a value.
  const char* arg() const { return arg_; }
  // The letter behind the last '?'.
  char problem() const { return problem_; }
  // Index into argv of the first argument not yet parsed.
  int ind() const { return ind_; }
  char** rest() const { return argv_ + ind_; }

  bool report = true;

 private:
  char** argv_;
  const char* opts_;
  int ind_;
  int pos_ = 0;  // position inside argv_[ind_] while in a cluster
  const char* arg_ = nullptr;
  char problem_ = 0;
};

}  // namespace dt

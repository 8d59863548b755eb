#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dt/sgetopt.hpp"

namespace {

// Parse args (argv[0] included) with opts; the options as "c" or "c=value"
// or "?c", then "|" and the operands left.
std::string parse(std::vector<const char*> args, const char* opts) {
  args.push_back(nullptr);
  char** argv = const_cast<char**>(args.data());
  dt::Getopt g(argv, opts);
  g.report = false;
  std::string out;
  int c;
  while ((c = g.next()) != -1) {
    if (!out.empty()) out += ' ';
    if (c == '?') {
      out += '?';
      out += g.problem();
      break;
    }
    out += static_cast<char>(c);
    if (g.arg()) out += std::string("=") + g.arg();
  }
  out += " |";
  for (char** p = g.rest(); *p; ++p) out += std::string(" ") + *p;
  return out;
}

}  // namespace

TEST_CASE("sgetopt: no options") {
  CHECK(parse({"p"}, "ab") == " |");
  CHECK(parse({"p", "x", "-a"}, "ab") == " | x -a");
}

TEST_CASE("sgetopt: argc 0") {
  std::vector<const char*> args{nullptr};
  dt::Getopt g(const_cast<char**>(args.data()), "a");
  CHECK(g.next() == -1);
  CHECK(g.rest()[0] == nullptr);
}

TEST_CASE("sgetopt: flags, clustered or not") {
  CHECK(parse({"p", "-a", "-b", "x"}, "ab") == "a b | x");
  CHECK(parse({"p", "-ab", "x"}, "ab") == "a b | x");
  CHECK(parse({"p", "-ba", "-a"}, "ab") == "b a a |");
}

TEST_CASE("sgetopt: values") {
  CHECK(parse({"p", "-m100", "x"}, "m:") == "m=100 | x");
  CHECK(parse({"p", "-m", "100", "x"}, "m:") == "m=100 | x");
  CHECK(parse({"p", "-m", "--", "x"}, "m:") == "m=-- | x");
  CHECK(parse({"p", "-m", "", "x"}, "m:") == "m= | x");
  CHECK(parse({"p", "-am5", "x"}, "am:") == "a m=5 | x");
  CHECK(parse({"p", "-mam", "x"}, "am:") == "m=am | x");
  CHECK(parse({"p", "-o5o6", "x"}, "o:") == "o=5o6 | x");
}

TEST_CASE("sgetopt: the end of the options") {
  CHECK(parse({"p", "-a", "--", "-b"}, "ab") == "a | -b");
  CHECK(parse({"p", "-a", "--x", "-b"}, "ab") == "a | -b");
  CHECK(parse({"p", "-a", "-", "-b"}, "ab") == "a | - -b");
  CHECK(parse({"p", "-a", "x", "-b"}, "ab") == "a | x -b");
}

TEST_CASE("sgetopt: errors") {
  CHECK(parse({"p", "-z", "x"}, "ab") == "?z | x");
  CHECK(parse({"p", "-az", "x"}, "ab") == "a ?z | x");
  CHECK(parse({"p", "-:", "x"}, "m:") == "?: | x");
  CHECK(parse({"p", "-m"}, "m:") == "?m |");
  CHECK(parse({"p", "-a", "-m"}, "am:") == "a ?m |");
}

#include <catch2/catch.hpp>

#include "dt/pattern.hpp"

using dt::pattern_match;

TEST_CASE("pattern: literals match only themselves") {
  CHECK(pattern_match("hello", "hello"));
  CHECK_FALSE(pattern_match("hello", "hello world"));
  CHECK_FALSE(pattern_match("hello", "hell"));
  CHECK(pattern_match("", ""));
  CHECK_FALSE(pattern_match("", "x"));
}

TEST_CASE("pattern: a final star matches anything") {
  CHECK(pattern_match("*", ""));
  CHECK(pattern_match("*", "anything at all"));
  CHECK(pattern_match("STAT*", "STAT"));
  CHECK(pattern_match("STAT*", "STATUS ok"));
  CHECK_FALSE(pattern_match("STAT*", "xSTAT"));
}

TEST_CASE("pattern: an inner star stops at the next pattern character") {
  CHECK(pattern_match("named[*]: Cleaned cache *", "named[135]: Cleaned cache of 3121 RRs"));
  CHECK(pattern_match("* fatal: *", "@400000003b4a39c23294b13c fatal: out of memory"));
  CHECK_FALSE(pattern_match("* fatal: *", "a b fatal: x"));  // the star stops at the first space
  CHECK(pattern_match("a*c", "abbbc"));
  CHECK_FALSE(pattern_match("a*c", "abbb"));
}

TEST_CASE("pattern: no backtracking") {
  CHECK_FALSE(pattern_match("*b", "abb"));
  CHECK(pattern_match("*b", "ab"));
  CHECK_FALSE(pattern_match("*.log", "a.b.log"));
}

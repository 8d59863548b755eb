// multilog's pattern rule. A pattern is stars and non-stars; a non-star
// matches itself; a star before the end matches any string that does not
// contain the pattern's next character; a star at the end matches anything.
// Matching is greedy with no backtracking, as in daemontools: "*b" against
// "abb" fails (the star stops at the first b, then the pattern has ended).
#pragma once
#include <string_view>

namespace dt {

bool pattern_match(std::string_view pattern, std::string_view text);

}  // namespace dt

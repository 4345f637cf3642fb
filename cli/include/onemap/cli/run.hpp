#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace onemap::cli {

/// The whole `onemap` command, callable in-process (tests do): args without the program
/// name. Returns the exit code: 0 fine, 1 a site fails an error rule (check) or problems
/// were found (validate), 2 bad input, 3 an internal failure, 130 cancelled.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace onemap::cli

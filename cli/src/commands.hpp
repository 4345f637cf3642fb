#pragma once
#include "command.hpp"

namespace onemap::cli {

// One factory per subcommand file; commands.cpp lists them.
std::unique_ptr<Command> makeInfoCommand();
std::unique_ptr<Command> makeCheckCommand();

}  // namespace onemap::cli

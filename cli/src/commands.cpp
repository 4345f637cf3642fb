#include "commands.hpp"

namespace onemap::cli {

std::vector<std::unique_ptr<Command>> allCommands() {
    std::vector<std::unique_ptr<Command>> out;
    out.push_back(makeInfoCommand());
    out.push_back(makeCheckCommand());
    return out;
}

}  // namespace onemap::cli

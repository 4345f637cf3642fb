#include "commands.hpp"

namespace onemap::cli {

std::vector<std::unique_ptr<Command>> allCommands() {
    std::vector<std::unique_ptr<Command>> out;
    out.push_back(makeInfoCommand());
    out.push_back(makeCheckCommand());
    out.push_back(makeFindCommand());
#ifdef ONEMAP_WITH_RENDER
    out.push_back(makeRenderCommand());
#endif
    out.push_back(makeExportCommand());
    out.push_back(makeValidateCommand());
    out.push_back(makeDiffCommand());
    out.push_back(makeHeatCommand());
    out.push_back(makeCoverageCommand());
#ifdef ONEMAP_WITH_WEB
    out.push_back(makeServeCommand());
#endif
    out.push_back(makeUserCommand());
    out.push_back(makeAuditCommand());
    return out;
}

}  // namespace onemap::cli

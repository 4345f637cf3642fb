#pragma once
#include "command.hpp"

namespace onemap::cli {

// One factory per subcommand file; commands.cpp lists them.
std::unique_ptr<Command> makeInfoCommand();
std::unique_ptr<Command> makeCheckCommand();
std::unique_ptr<Command> makeExportCommand();
std::unique_ptr<Command> makeValidateCommand();
std::unique_ptr<Command> makeDiffCommand();
std::unique_ptr<Command> makeHeatCommand();
std::unique_ptr<Command> makeCoverageCommand();
std::unique_ptr<Command> makeFindCommand();
std::unique_ptr<Command> makeUserCommand();
std::unique_ptr<Command> makeAuditCommand();
#ifdef ONEMAP_WITH_RENDER
std::unique_ptr<Command> makeRenderCommand();
#endif
#ifdef ONEMAP_WITH_WEB
std::unique_ptr<Command> makeServeCommand();
#endif

}  // namespace onemap::cli

// PLACEHOLDER until the data-in/out work lands: registered so --help lists it.
#include "command.hpp"
#include "commands.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::cli {
namespace {
class ExportCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override { return app.add_subcommand("export", "(not yet available)"); }
    int execute(Io&) override { throw InputError("export: not yet available"); }
};
}  // namespace
std::unique_ptr<Command> makeExportCommand() { return std::make_unique<ExportCommand>(); }
}  // namespace onemap::cli

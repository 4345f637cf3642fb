// PLACEHOLDER until the data-in/out work lands: registered so --help lists it.
#include "command.hpp"
#include "commands.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::cli {
namespace {
class ValidateCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override { return app.add_subcommand("validate", "(not yet available)"); }
    int execute(Io&) override { throw InputError("validate: not yet available"); }
};
}  // namespace
std::unique_ptr<Command> makeValidateCommand() { return std::make_unique<ValidateCommand>(); }
}  // namespace onemap::cli

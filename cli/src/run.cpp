#include "onemap/cli/run.hpp"

#include <algorithm>

#include "command.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{
        "onemap — the G60 corridor \"one map\" (一张图): layers, rules and site compliance checks"};
    app.set_version_flag("--version", version());
    app.require_subcommand(1);
    auto commands = allCommands();
    std::vector<std::pair<CLI::App*, Command*>> subs;
    for (auto& c : commands) subs.emplace_back(c->setup(app), c.get());

    Io io{out, err};
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
        app.parse(reversed);
    } catch (const CLI::ValidationError& e) {
        // A value refused (a date that is not one): one line naming the option, as for any
        // bad input.
        err << "onemap: " << gis::oneLine(e.what()) << "\n";
        return 2;
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e, out, err);
        return code == 0 ? 0 : 2;
    }
    try {
        for (auto& [sub, command] : subs) {
            if (sub->parsed()) return command->execute(io);
        }
        err << "onemap: no command given; see onemap --help\n";
        return 2;
    } catch (const InputError& e) {
        err << "onemap: " << gis::oneLine(e.what()) << "\n";
        return 2;
    } catch (const core::Cancelled&) {
        err << "onemap: cancelled\n";
        return 130;
    } catch (const std::exception& e) {
        err << "onemap: internal error: " << gis::oneLine(e.what()) << "\n";
        return 3;
    }
}

}  // namespace onemap::cli

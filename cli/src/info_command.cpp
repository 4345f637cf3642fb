// onemap info [PLAN]: what a one map holds — layers with counts, geometry, CRS, extent; rules.
#include <iomanip>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

std::string pad(const std::string& s, std::size_t width) {
    const std::size_t w = core::displayWidth(s);
    return w >= width ? s + " " : s + std::string(width - w, ' ');
}

std::string paramText(const core::ParamValue& v) {
    if (const auto* d = std::get_if<double>(&v)) return gis::toString(gis::Value{*d});
    if (const auto* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    std::string out = "{";
    for (const auto& [k, val] : std::get<std::map<std::string, std::string>>(v))
        out += (out.size() > 1 ? ", " : " ") + k + " = \"" + val + "\"";
    return out + " }";
}

class InfoCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "info", "List a plan's layers and rules (default: the bundled G60 one map)");
        sub->add_option("plan", plan_, "plan file (TOML)");
        addAsOfOption(sub, asOf_);
        addCacheOption(sub, noCache_);
        return sub;
    }

    int execute(Io& io) override {
        const core::Plan plan = loadPlan(plan_, asOf_);
        CliFeedback feedback(io.err);
        core::LoadScope scope;
        scope.cache = !noCache_;
        const auto map = core::OneMap::load(plan, &feedback, scope);
        std::ostringstream out;
        out << plan.name << "\n";
        out << "plan: " << plan.path << "\n";
        out << "crs:  " << plan.crs.label() << " (" << plan.crs.name() << ")\n";
        if (plan.hasVersions()) out << "as of: " << plan.asOf << "\n";
        const auto e = map->extent();
        out << std::fixed << std::setprecision(0);
        out << "extent: " << e.minx << ", " << e.miny << " – " << e.maxx << ", " << e.maxy << " ("
            << core::formatNumber(e.width() / 1000, 0) << " × "
            << core::formatNumber(e.height() / 1000, 0) << " km)\n\n";
        out << "Layers (drawn bottom to top):\n";
        out << "  " << pad("id", 10) << pad("title", 16) << pad("features", 10)
            << pad("geometry", 17) << pad("crs", 11) << "extent (minx, miny, maxx, maxy)\n";
        for (const auto& l : map->layers()) {
            const auto x = l->extent();
            std::ostringstream ext;
            if (x.isEmpty())
                ext << "—";  // a table, or no feature
            else
                ext << std::fixed << std::setprecision(0) << x.minx << ", " << x.miny << ", "
                    << x.maxx << ", " << x.maxy;
            out << "  " << pad(l->spec().id, 10) << pad(l->spec().title, 16)
                << pad(std::to_string(l->size()), 10) << pad(l->data().geometryType, 17)
                << pad(l->sourceCrs(), 11) << ext.str() << "\n";
            out << "  " << std::string(10, ' ') << "source: " << l->spec().source
                << (l->spec().table.empty() ? "" : " (" + l->spec().table + ")")
                << (l->repairedCount() ? ", " + std::to_string(l->repairedCount()) + " repaired"
                                       : "")
                << "\n";
            // Every version, the one in force marked: what --as-of would switch to.
            for (const auto& v : l->spec().versions) {
                const bool inForce = l->spec().inForce && l->spec().inForce->from == v.from;
                out << "  " << std::string(10, ' ') << (inForce ? "* " : "  ") << "from " << v.from
                    << (v.doc.empty() ? "" : "  " + v.doc) << "  " << v.source
                    << (v.table.empty() ? "" : " (" + v.table + ")") << "\n";
            }
        }
        for (const auto& note : plan.notes) out << "  ! " << note << "\n";
        out << "\nRules:\n";
        out << "  " << pad("id", 22) << pad("kind", 18) << pad("severity", 9)
            << "title / parameters\n";
        for (const auto& r : plan.rules) {
            std::string params;
            for (const auto& [k, v] : r.params)
                params += (params.empty() ? "" : ", ") + k + " = " + paramText(v);
            out << "  " << pad(r.id, 22) << pad(r.kind, 18) << pad(core::toString(r.severity), 9)
                << r.title << "\n";
            out << "  " << std::string(49, ' ') << params << "\n";
        }
        if (!map->warnings().empty())
            out << "\n"
                << map->warnings().size() << " data warning(s), e.g.: " << map->warnings().front()
                << "\n";
        io.out << gis::escapeControl(out.str(), true);  // names come from user files
        return 0;
    }

  private:
    std::string plan_, asOf_;
    bool noCache_ = false;
};

}  // namespace

std::unique_ptr<Command> makeInfoCommand() { return std::make_unique<InfoCommand>(); }

}  // namespace onemap::cli

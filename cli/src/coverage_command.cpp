// onemap coverage [PLAN] --services LAYER [--kind FIELD] --population LAYER [--pop-field F]
// [--tiers 300,500,1000] [--distance straight|network] [--roads LAYER] [--units LAYER]
// [--as-of DATE] [--format text|json|csv] [-o FILE] [--uncovered OUT.gpkg]: residents within
// each distance tier of a facility of each kind, per unit (docs/heat.md "Service coverage").
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/coverage/coverage_report.hpp"
#include "onemap/core/coverage/service_coverage.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

namespace fs = std::filesystem;

std::vector<double> parseTiers(const std::string& text) {
    std::vector<double> tiers;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) {
        double v = 0;
        const char* end = part.data() + part.size();
        const auto [ptr, ec] = std::from_chars(part.data(), end, v);
        if (part.empty() || ec != std::errc() || ptr != end)
            throw InputError("coverage --tiers: '" + part + "' is not a number of metres");
        tiers.push_back(v);
    }
    if (tiers.empty() || text.back() == ',')
        throw InputError("coverage --tiers: give distances in metres, e.g. 300,500,1000");
    return tiers;
}

class CoverageCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "coverage",
            "Residents within each distance tier of a service facility, per unit: 生活圈覆盖");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        addAsOfOption(sub, asOf_);
        sub->add_option("--services", services_, "the plan layer of facilities (points)")
            ->capture_default_str();
        sub->add_option("--kind", kind_, "a field whose values are the kinds of service");
        sub->add_flag("--centroids", centroids_, "count line and polygon facilities at centroids");
        sub->add_option("--population", population_, "the plan layer of population cells")
            ->capture_default_str();
        sub->add_option("--pop-field", popField_, "the residents of a cell")->capture_default_str();
        sub->add_option("--tiers", tiers_, "distances in metres, ascending")->capture_default_str();
        sub->add_option("--distance", distance_, "straight (default) or network (along --roads)");
        sub->add_option("--roads", roads_, "the plan layer of streets (lines, noded)")
            ->capture_default_str();
        sub->add_option("--units", units_, "the layer of units (default: the plan's admin layer)");
        sub->add_option("--format", format_, "text (default), json or csv");
        sub->add_option("-o,--output", output_, "write the table here (default: stdout)");
        sub->add_option("--uncovered", uncovered_,
                        "write the cells uncovered at the largest tier as points (.gpkg)");
        return sub;
    }

    int execute(Io& io) override {
        const auto start = std::chrono::steady_clock::now();
        core::CoverageOptions options;
        options.tiers = parseTiers(tiers_);
        if (distance_ == "network")
            options.mode = core::DistanceMode::Network;
        else if (distance_ != "straight")
            throw InputError("coverage --distance: '" + distance_ + "' is not straight or network");
        if (format_ != "text" && format_ != "json" && format_ != "csv")
            throw InputError("coverage --format: '" + format_ + "' is not text, json or csv");
        if (!uncovered_.empty() && fs::path(uncovered_).extension() != ".gpkg")
            throw InputError("coverage --uncovered " + uncovered_ + ": write a GeoPackage (.gpkg)");
        options.listUncovered = !uncovered_.empty();

        const core::Plan plan = loadPlan(plan_, asOf_);
        options.crs = plan.crs;
        gis::OutputFiles outputs(plan.files());  // never an input; folders writable
        const bool toFile = !output_.empty() && output_ != "-";
        const std::string tableAt = toFile ? outputs.stage(output_) : "";
        const std::string uncoveredAt = uncovered_.empty() ? "" : outputs.stage(uncovered_);

        const auto facilityLayer = read(plan, services_, "--services", io);
        if (!asOf_.empty() && plan.layer(services_)->dateField.empty())
            io.err << "note: layer '" << services_
                   << "' declares no date_field in the plan: every facility counts on " << asOf_
                   << "\n";
        auto facilities = core::readFacilities(facilityLayer, {services_, kind_, centroids_});
        const auto populationLayer = read(plan, population_, "--population", io);
        auto cells = core::readPopulation(populationLayer, population_, popField_);
        std::vector<core::ServiceUnit> units;
        std::string unitsId = units_;
        if (unitsId.empty() && plan.adminLayer()) unitsId = plan.adminLayer()->id;
        if (!unitsId.empty()) {
            const auto unitLayer = read(plan, unitsId, "--units", io);
            units = core::readUnits(unitLayer, plan.layer(unitsId)->label);
        }
        std::optional<core::StreetNetwork> network;
        if (options.mode == core::DistanceMode::Network) {
            if (!plan.layer(roads_))
                throw InputError("coverage --distance network: the plan has no layer '" + roads_ +
                                 "' (give --roads LAYER, a layer of streets)");
            const auto roads = read(plan, roads_, "--roads", io);
            std::vector<gis::Geometry> lines;
            for (const auto& f : roads.features) {
                if (f.geometry.isEmpty()) continue;
                if (f.geometry.kind() != gis::GeometryKind::Line)
                    throw InputError("coverage: layer '" + roads_ + "' feature fid " +
                                     std::to_string(f.fid) + " is not a line (--roads)");
                lines.push_back(f.geometry);
            }
            network.emplace(lines);
        }
        const auto facilityCount = facilities.facilities.size();
        const auto kindCount = facilities.kinds.size();
        const core::ServiceCoverage coverage(std::move(facilities), std::move(cells),
                                             std::move(units), options,
                                             network ? &*network : nullptr);
        const auto computing = std::chrono::steady_clock::now();
        const core::CoverageResult result = coverage.compute();
        const auto writing = std::chrono::steady_clock::now();

        const std::string bytes = format_ == "json"  ? core::coverageJson(result)
                                  : format_ == "csv" ? core::coverageCsv(result)
                                                     : core::coverageText(result);
        outputs.writeAndCommit([&] {  // both outputs appear together, or neither
            if (!uncoveredAt.empty())
                gis::writeLayer(uncoveredAt, core::uncoveredLayer(result, plan.crs));
            if (toFile) gis::writeFileAtomically(tableAt, bytes);
        });
        if (!toFile) io.out << (format_ == "text" ? gis::escapeControl(bytes, true) : bytes);

        const auto seconds = [](auto from, auto to) {
            std::ostringstream t;
            t << std::fixed << std::setprecision(2)
              << std::chrono::duration<double>(to - from).count();
            return t.str();
        };
        io.err << "coverage: " << facilityCount << " facilities of '" << services_ << "' ("
               << kindCount << " kind" << (kindCount == 1 ? "" : "s") << "), " << result.cells
               << " cells of '" << population_ << "', "
               << (options.mode == core::DistanceMode::Network ? "network" : "straight-line")
               << " distance"
               << (network ? " (" + std::to_string(network->nodeCount()) + " nodes, " +
                                 std::to_string(network->edgeCount()) + " edges)"
                           : "")
               << (toFile ? " → " + output_ : "")
               << (uncovered_.empty() ? ""
                                      : ", " + std::to_string(result.uncovered.size()) +
                                            " uncovered cells → " + uncovered_)
               << " (read " << seconds(start, computing) << " s, coverage "
               << seconds(computing, writing) << " s)\n";
        return 0;
    }

  private:
    // A plan layer as every command reads it (core::readInPlanCrs): the version in force, the
    // records in force on the plan's day, a CRS required, reprojected into the plan's CRS.
    static gis::VectorLayer read(const core::Plan& plan, const std::string& id,
                                 const std::string& option, Io& io) {
        const auto* spec = plan.layer(id);
        if (!spec) throw InputError("coverage " + option + ": the plan has no layer '" + id + "'");
        std::vector<std::string> notes;
        std::string sourceCrs;
        gis::VectorLayer layer = core::readInPlanCrs(plan, *spec, {}, {}, notes, sourceCrs);
        for (const auto& w : notes) io.err << "note: " << gis::oneLine(w) << "\n";
        return layer;
    }

    std::string plan_, asOf_, services_ = "services", kind_, population_ = "population",
                              popField_ = "pop", tiers_ = "300,500,1000", distance_ = "straight",
                              roads_ = "roads", units_, format_ = "text", output_, uncovered_;
    bool centroids_ = false;
};

}  // namespace

std::unique_ptr<Command> makeCoverageCommand() { return std::make_unique<CoverageCommand>(); }

}  // namespace onemap::cli

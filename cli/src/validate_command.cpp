// onemap validate [PLAN] [--as-of DAY] [--format text|json] [--conflicts OUT.gpkg]
// [--fix OUT.gpkg]: what is wrong with the plan's data, per layer (and version), and where its
// layers contradict each other ([[consistency]], 三线冲突检测). The work is core/validate.
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/validate/validation_report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

class ValidateCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "validate",
            "Check a plan's data (invalid geometries, overlaps, CRS, fields, dates) and its "
            "[[consistency]] between layers (三线冲突检测)");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        sub->add_option("--as-of", asOf_,
                        "validate the layers as they stand on this day, YYYY-MM-DD (default: "
                        "every version of every layer; consistency on today's plan)")
            ->check(isoDate());
        sub->add_option("--format", format_, "text (default) or json")
            ->check(CLI::IsMember({"text", "json"}));
        sub->add_option("--conflicts", conflicts_,
                        "write the consistency conflicts' polygons to this GeoPackage");
        sub->add_option("--fix", fix_,
                        "write a repaired copy of every layer in force (on --as-of, else today) "
                        "to this GeoPackage");
        addCacheOption(sub, noCache_);
        return sub;
    }

    int execute(Io& io) override {
        const core::Plan plan = core::Plan::load(planOrDefault(plan_));
        // Outputs are checked before any work: never an input, never half-written.
        gis::OutputFiles outputs(plan.files());
        const std::string fixAt = fix_.empty() ? "" : outputs.stage(fix_);
        const std::string conflictsAt = conflicts_.empty() ? "" : outputs.stage(conflicts_);
        core::ValidateOptions options;
        if (!asOf_.empty()) options.asOf = asOf_;
        options.cache = !noCache_;
        const core::PlanValidation v = core::validatePlan(plan, options);

        std::string text = format_ == "json" ? core::validationJson(v) : core::validationText(v);
        if (!fix_.empty() || !conflicts_.empty()) {
            std::ostringstream said;
            outputs.writeAndCommit([&] {
                if (!conflictsAt.empty()) {
                    gis::writeLayer(conflictsAt, core::consistencyConflictLayer(v, plan.crs));
                    said << "conflicts → " << conflicts_ << "\n";
                }
                if (!fixAt.empty()) writeFixed(plan, fixAt, said);
            });
            if (format_ != "json")
                text += said.str();
            else
                io.err << said.str();
        }
        io.out << (format_ == "json" ? text : gis::escapeControl(text, true));  // user names
        return v.exitCode();
    }

  private:
    // make-valid every feature of every layer in force; features without geometry are
    // dropped and named.
    void writeFixed(const core::Plan& plan, const std::string& at, std::ostream& said) const {
        const core::Plan onDay = asOf_.empty() ? plan : plan.inForceOn(asOf_, "--as-of");
        std::vector<gis::VectorLayer> repaired;
        for (const auto& spec : onDay.layers) {
            gis::VectorLayer layer = core::readRaw(onDay, spec, {}, /*checkValidity=*/true);
            layer.name = spec.id;
            std::vector<gis::Feature> kept;
            for (auto& f : layer.features) {
                if (f.geometry.isEmpty() && layer.geometryType == "None") {
                    kept.push_back(std::move(f));  // a table: records by design
                    continue;
                }
                if (f.geometry.isEmpty()) {
                    said << "--fix: layer " << spec.id << ": dropped fid " << f.fid
                         << " (no geometry)\n";
                    continue;
                }
                try {
                    f.geometry = f.geometry.makeValid();
                } catch (const InputError& e) {
                    throw InputError("--fix: layer '" + spec.id + "' fid " + std::to_string(f.fid) +
                                     ": " + e.what() + "; fix it at the source");
                }
                kept.push_back(std::move(f));
            }
            layer.features = std::move(kept);
            repaired.push_back(std::move(layer));
        }
        std::vector<const gis::VectorLayer*> layers;
        for (const auto& l : repaired) layers.push_back(&l);
        gis::writeLayers(at, layers);
        said << "repaired copy → " << fix_ << "\n";
    }

    std::string plan_, asOf_, format_ = "text", conflicts_, fix_;
    bool noCache_ = false;
};

}  // namespace

std::unique_ptr<Command> makeValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace onemap::cli

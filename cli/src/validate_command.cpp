// onemap validate [PLAN] [--fix OUT.gpkg]: what is wrong with the plan's data, per layer.
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/layer_validation.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

void list(std::ostream& out, const char* heading, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out << "    " << heading << ": " << items.size() << "\n";
    for (std::size_t i = 0; i < items.size() && i < 20; ++i) out << "      " << items[i] << "\n";
    if (items.size() > 20) out << "      … " << items.size() - 20 << " more\n";
}

class ValidateCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "validate", "Check a plan's data: invalid geometries, overlaps, CRS, encodings");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        sub->add_option("--fix", fix_, "write a repaired copy of every layer to this GeoPackage");
        return sub;
    }

    int execute(Io& io) override {
        const core::Plan plan = core::Plan::load(planOrDefault(plan_));
        gis::OutputFiles outputs(plan.files());
        const std::string fixAt = fix_.empty() ? "" : outputs.stage(fix_);
        std::ostringstream out;
        std::size_t bad = 0;
        std::vector<gis::VectorLayer> repaired;
        for (const auto& spec : plan.layers) {
            gis::VectorLayer raw = core::readRaw(plan, spec, {}, /*checkValidity=*/true);
            const auto v = core::validateLayer(spec, raw, plan.crs);
            out << "layer " << v.layerId << " (" << v.title << "): " << v.features
                << " features, CRS " << v.crs << ", text " << v.encoding
                << (v.ok() ? "  — ok" : "  — PROBLEMS") << "\n";
            for (const auto& n : v.notes) out << "    note: " << n << "\n";
            if (!v.crsProblem.empty()) out << "    CRS: " << v.crsProblem << "\n";
            list(out, "invalid geometries", v.invalid);
            list(out, "empty geometries", v.empty);
            if (!v.overlaps.empty()) {
                out << "    overlapping features: " << v.overlaps.size()
                    << " pairs, double-counted " << core::describeArea(v.doubleCountedM2) << "\n";
                list(out, "pairs", v.overlaps);
            }
            bad += v.ok() ? 0 : 1;
            if (!fix_.empty()) repaired.push_back(repair(std::move(raw), spec, out));
        }
        out << (bad ? std::to_string(bad) + " layer(s) with problems\n" : "all layers ok\n");
        if (!fix_.empty()) {
            std::vector<const gis::VectorLayer*> layers;
            for (const auto& l : repaired) layers.push_back(&l);
            outputs.writeAndCommit([&] { gis::writeLayers(fixAt, layers); });
            out << "repaired copy → " << fix_ << "\n";
        }
        io.out << gis::escapeControl(out.str(), true);  // names come from user files
        return bad ? 1 : 0;
    }

  private:
    // make-valid every feature; features without geometry are dropped and named.
    static gis::VectorLayer repair(gis::VectorLayer layer, const core::LayerSpec& spec,
                                   std::ostream& out) {
        layer.name = spec.id;
        std::vector<gis::Feature> kept;
        for (auto& f : layer.features) {
            if (f.geometry.isEmpty()) {
                out << "    --fix: dropped fid " << f.fid << " (no geometry)\n";
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
        return layer;
    }

    std::string plan_, fix_;
};

}  // namespace

std::unique_ptr<Command> makeValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace onemap::cli

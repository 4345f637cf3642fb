// onemap export [PLAN] --layer ID|--all --output PATH: layers to Shapefile, GeoPackage,
// GeoJSON or FlatGeobuf with nothing lost (text, big numbers, NULLs, CRS, encoding).
#include <filesystem>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/layer_validation.hpp"
#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/error.hpp"
#include "onemap/gis/vector_io.hpp"
#include "onemap/gis/web_offset.hpp"

namespace onemap::cli {
namespace {

namespace fs = std::filesystem;

class ExportCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("export", "Write plan layers to Shapefile, GeoPackage, GeoJSON or FlatGeobuf");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        sub->add_option("--layer", layer_, "the layer id to export");
        sub->add_flag("--all", all_, "every layer (shapefiles: one per layer in the output folder)");
        sub->add_option("-o,--output", output_, "output file (or folder for --all shapefiles)")->required();
        sub->add_option("--format", format_, "\"ESRI Shapefile\", GPKG, GeoJSON or FlatGeobuf (default: from the extension)");
        sub->add_option("--encoding", encoding_, "shapefile text encoding: UTF-8 (default) or GBK")
            ->check(CLI::IsMember({"UTF-8", "GBK"}));
        sub->add_option("--crs", crs_, "reproject to this CRS, e.g. EPSG:4490");
        sub->add_option("--from", from_, "the source coordinates are web-map offset: gcj02 or bd09")
            ->check(CLI::IsMember({"gcj02", "bd09"}));
        return sub;
    }

    int execute(Io& io) override {
        if (all_ == !layer_.empty()) throw InputError("export: give either --layer ID or --all");
        const core::Plan plan = core::Plan::load(planOrDefault(plan_));
        std::vector<const core::LayerSpec*> specs;
        if (all_)
            for (const auto& l : plan.layers) specs.push_back(&l);
        else if (const auto* l = plan.layer(layer_)) specs.push_back(l);
        else throw InputError("export: the plan has no layer '" + layer_ + "'");

        std::string format = format_;
        if (format.empty()) format = all_ && fs::path(output_).extension().empty() ? "ESRI Shapefile" : gis::driverForPath(output_);
        // Read and convert everything first: an error leaves no file behind.
        std::vector<gis::VectorLayer> layers;
        for (const auto* spec : specs) layers.push_back(convert(core::readRaw(plan, *spec), *spec));

        gis::WriteOptions options;
        options.format = format;
        options.encoding = encoding_;
        if (format == "ESRI Shapefile") {
            const bool folder = all_;
            if (folder) fs::create_directories(output_);
            for (const auto& l : layers) {
                const std::string path = folder ? (fs::path(output_) / (l.name + ".shp")).string() : output_;
                report(path, gis::writeLayer(path, l, options), io);
            }
        } else {
            if (layers.size() > 1 && format != "GPKG") throw InputError("export --all: " + format + " holds one layer; use .gpkg");
            std::vector<const gis::VectorLayer*> ptrs;
            for (const auto& l : layers) ptrs.push_back(&l);
            gis::writeLayers(output_, ptrs, options);
        }
        std::size_t n = 0;
        for (const auto& l : layers) n += l.features.size();
        io.err << "exported " << layers.size() << " layer(s), " << n << " features → " << output_ << "\n";
        return 0;
    }

private:
    gis::VectorLayer convert(gis::VectorLayer layer, const core::LayerSpec& spec) const {
        layer.name = spec.id;
        if (!from_.empty()) {
            if (!layer.crs.isGeographic())
                throw InputError("export --from " + from_ + ": layer '" + spec.id + "' is not in lon/lat (" + layer.crs.label() + ")");
            const bool gcj = from_ == "gcj02";
            for (auto& f : layer.features)
                f.geometry = f.geometry.mapCoordinates([gcj](double& x, double& y) {
                    const auto p = gcj ? gis::gcj02ToWgs84({x, y}) : gis::bd09ToWgs84({x, y});
                    x = p.x;
                    y = p.y;
                });
        }
        if (!crs_.empty()) {
            const auto target = gis::Crs::fromUserInput(crs_);
            if (!layer.crs.isKnown()) throw InputError("export --crs: layer '" + spec.id + "' has no CRS to convert from");
            const gis::CoordinateTransform t(layer.crs, target);
            for (auto& f : layer.features) f.geometry = t.apply(f.geometry);
            layer.crs = target;
        }
        return layer;
    }

    // Shortened DBF names: said on stderr and written beside the output.
    static void report(const std::string& path, const gis::WriteResult& result, Io& io) {
        if (result.renamedFields.empty()) return;
        const std::string csv = fs::path(path).replace_extension(".fields.csv").string();
        std::string text = "original,short\n";
        for (const auto& m : result.renamedFields) text += "\"" + m.original + "\"," + "\"" + m.shortName + "\"\n";
        gis::writeFileAtomically(csv, text);
        io.err << path << ": " << result.renamedFields.size()
               << " field name(s) shortened to the shapefile's 10 bytes; mapping in " << csv << "\n";
    }

    std::string plan_, layer_, output_, format_, encoding_, crs_, from_;
    bool all_ = false;
};

}  // namespace

std::unique_ptr<Command> makeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace onemap::cli

// onemap heat [PLAN] --layer ID [--where SQL] [--weight FIELD] [--radius M] [--cell M]
// [--kernel K] [--extent minx,miny,maxx,maxy] [--as-of DATE] [--centroids]
// [--compress zstd|deflate] -o OUT.tif:
// the kernel density of a plan layer's points, per km², as a GeoTIFF (docs/heat.md).
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/heat/density_points.hpp"
#include "onemap/core/heat/kernel_density.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/raster/geotiff_writer.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

namespace fs = std::filesystem;

double parseNumber(const std::string& text, const std::string& what) {
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || text.empty())
        throw InputError("heat " + what + ": '" + text + "' is not a number");
    return v;
}

gis::Envelope parseExtent(const std::string& text) {
    std::vector<double> v;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) v.push_back(parseNumber(part, "--extent"));
    if (v.size() != 4) throw InputError("heat --extent: give minx,miny,maxx,maxy (4 numbers)");
    return {v[0], v[1], v[2], v[3]};
}

class HeatCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "heat", "Kernel density of a layer's points (per km²) as a GeoTIFF: 热力分布图");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        addAsOfOption(sub, asOf_);
        sub->add_option("--layer", layer_, "the plan layer whose points are counted")->required();
        sub->add_option("--where", where_, "only the features matching this SQL expression");
        sub->add_option("--weight", weight_, "a numeric field weighing each point (default 1)");
        sub->add_option("--radius", radius_,
                        "search radius in metres (default: ArcGIS's spatial Silverman rule)");
        sub->add_option("--cell", cell_, "cell size in metres (default: shorter side / 250)");
        sub->add_option("--kernel", kernel_,
                        "quartic (default), triangular, uniform, "
                        "triweight or epanechnikov");
        sub->add_option("--extent", extent_,
                        "minx,miny,maxx,maxy in the plan CRS (default: the points' box grown "
                        "by the radius)");
        sub->add_flag("--centroids", centroids_, "count lines and polygons at their centroids");
        sub->add_option("--compress", compress_,
                        "zstd (default: fast) or deflate (read by every TIFF reader)");
        sub->add_option("-o,--output", output_, "the GeoTIFF to write (.tif)")->required();
        return sub;
    }

    int execute(Io& io) override {
        const auto start = std::chrono::steady_clock::now();
        core::DensityOptions options;
        const auto kernel = core::parseKernel(kernel_);
        if (!kernel)
            throw InputError("heat --kernel: '" + kernel_ + "' is not " + core::kernelNames());
        options.kernel = *kernel;
        if (!radius_.empty()) options.radius = parseNumber(radius_, "--radius");
        if (!cell_.empty()) options.cellSize = parseNumber(cell_, "--cell");
        if (!extent_.empty()) options.extent = parseExtent(extent_);
        std::string ext = fs::path(output_).extension().string();
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ext == ".png")
            throw InputError("heat -o " + output_ +
                             ": PNG maps are not built yet; write a GeoTIFF (.tif)");
        if (ext != ".tif" && ext != ".tiff")
            throw InputError("heat -o " + output_ + ": the output is a GeoTIFF (.tif or .tiff)");
        if (!where_.empty()) gis::checkAttributeFilter(where_);
        gis::GeoTiffOptions tiff;
        if (compress_ == "deflate")
            tiff.compression = gis::GeoTiffCompression::Deflate;
        else if (compress_ != "zstd")
            throw InputError("heat --compress: '" + compress_ + "' is not zstd or deflate");

        const core::Plan plan = loadPlan(plan_, asOf_);
        for (const auto& input : plan.files()) {
            std::error_code ec;
            if (fs::equivalent(input, output_, ec))
                throw InputError("heat -o " + output_ + ": that is an input of the plan");
        }
        const auto* found = plan.layer(layer_);
        if (!found) throw InputError("heat: the plan has no layer '" + layer_ + "'");
        core::LayerSpec spec = *found;
        if (!where_.empty())
            spec.filter =
                spec.filter.empty() ? where_ : "(" + spec.filter + ") AND (" + where_ + ")";
        options.crs = plan.crs;

        gis::VectorLayer layer = core::readRaw(plan, spec);
        std::vector<std::string> notInForce;
        if (!spec.dateField.empty()) core::keepInForce(plan, spec, layer, notInForce);
        for (const auto& w : notInForce) io.err << "note: " << gis::oneLine(w) << "\n";
        if (layer.crs.isKnown() && !layer.crs.isEquivalentTo(plan.crs)) {
            const gis::CoordinateTransform t(layer.crs, plan.crs);
            for (auto& f : layer.features)
                if (!f.geometry.isEmpty()) f.geometry = t.apply(f.geometry);
            layer.crs = plan.crs;
        }
        std::size_t skipped = 0;
        auto points = core::densityPoints(layer, {layer_, weight_, centroids_}, &skipped);
        const std::size_t count = points.size();
        const core::KernelDensity density(std::move(points), options);
        const auto computing = std::chrono::steady_clock::now();
        const auto values = density.compute();
        const auto writing = std::chrono::steady_clock::now();
        gis::writeGeoTiff(output_, density.grid(), plan.crs, values, tiff);

        const auto& g = density.grid();
        const auto seconds = [](auto from, auto to) {  // "0.03", "5.62"
            std::ostringstream t;
            t << std::fixed << std::setprecision(2)
              << std::chrono::duration<double>(to - from).count();
            return t.str();
        };
        const auto end = std::chrono::steady_clock::now();
        std::ostringstream line;
        line.precision(6);
        line << "heat: " << count << " points of '" << layer_ << "'"
             << (skipped ? " (" + std::to_string(skipped) + " empty skipped)" : "") << ", "
             << core::kernelName(density.kernel()) << " kernel, radius " << density.radius()
             << " m, " << g.columns << " × " << g.rows << " cells of " << g.cellSize << " m → "
             << output_ << " (per km²; read " << seconds(start, computing) << " s, density "
             << seconds(computing, writing) << " s, GeoTIFF " << seconds(writing, end) << " s)\n";
        io.err << line.str();
        return 0;
    }

  private:
    std::string plan_, asOf_, layer_, where_, weight_, radius_, cell_, kernel_ = "quartic", extent_,
                                                                       compress_ = "zstd", output_;
    bool centroids_ = false;
};

}  // namespace

std::unique_ptr<Command> makeHeatCommand() { return std::make_unique<HeatCommand>(); }

}  // namespace onemap::cli

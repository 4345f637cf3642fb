// onemap heat [PLAN] --layer ID [--where SQL] [--weight FIELD] [--radius M] [--cell M]
// [--kernel K] [--extent minx,miny,maxx,maxy] [--as-of DATE] [--centroids]
// [--compress zstd|deflate] [--ramp R] [--title T] [--size WxH] -o OUT.tif|OUT.png [-o ...]:
// the kernel density of a plan layer's points, per km², as a GeoTIFF and/or a PNG map
// (docs/heat.md).
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/raster/geotiff_writer.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#ifdef ONEMAP_WITH_RENDER
#include "heat_png.hpp"
#endif

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
        auto* layer = sub->add_option("--layer", layer_, "the plan layer whose points are counted");
        auto* heatmap = sub->add_option("--heatmap", heatmap_,
                                        "a [[heatmaps]] entry of the plan, as declared there");
        layer->excludes(heatmap);
        for (auto* option :
             {sub->add_option("--where", where_, "only the features matching this SQL expression"),
              sub->add_option("--weight", weight_,
                              "a numeric field weighing each point (default 1)"),
              sub->add_option("--radius", radius_,
                              "search radius in metres (default: ArcGIS's spatial Silverman "
                              "rule)"),
              sub->add_option("--cell", cell_, "cell size in metres (default: shorter side / 250)"),
              sub->add_option("--kernel", kernel_,
                              "quartic (default), triangular, uniform, triweight or "
                              "epanechnikov")})
            option->excludes(heatmap);
        sub->add_option("--extent", extent_,
                        "minx,miny,maxx,maxy in the plan CRS (default: the points' box grown "
                        "by the radius)");
        sub->add_flag("--centroids", centroids_, "count lines and polygons at their centroids")
            ->excludes(heatmap);
        sub->add_option("--compress", compress_,
                        "deflate (default: read by every TIFF reader) or zstd (twice as fast to "
                        "write; GDAL ≥ 2.3 and QGIS read it, ArcMap 10.x does not)");
        sub->add_option("--ramp", ramp_,
                        "the PNG's colour ramp: heat (yellow → red, default) or blues");
        sub->add_option("--title", title_, "the PNG's title (default: the layer's, 核密度)");
        sub->add_option("--size", size_, "the PNG's size WxH in pixels (default 1600x1131)");
        sub->add_option("-o,--output", outputs_,
                        "OUT.tif (GeoTIFF) or OUT.png (map); twice for both")
            ->required();
        return sub;
    }

    int execute(Io& io) override {
        const auto start = std::chrono::steady_clock::now();
        core::HeatmapSpec spec = optionsSpec();  // checked in the order of the options' help
        std::optional<gis::Envelope> extent;
        if (!extent_.empty()) extent = parseExtent(extent_);
        checkOutputs();
        if (!where_.empty()) gis::checkAttributeFilter(where_);
        gis::GeoTiffOptions tiff;
        if (compress_ == "zstd")
            tiff.compression = gis::GeoTiffCompression::Zstd;
        else if (compress_ != "deflate")
            throw InputError("heat --compress: '" + compress_ + "' is not deflate or zstd");

        const core::Plan plan = loadPlan(plan_, asOf_);
        if (!heatmap_.empty()) {
            spec = core::planHeatmap(plan, heatmap_, "heat --heatmap");
            if (!ramp_.empty()) spec.ramp = ramp_;
        } else if (const auto* layer = plan.layer(layer_); layer && !layer->title.empty()) {
            spec.title = layer->title;
        }
        gis::OutputFiles outputs(plan.files());
        std::string tifAt, pngAt;
        if (!tif_.empty()) tifAt = outputs.stage(tif_);
        if (!png_.empty()) pngAt = outputs.stage(png_);

        const core::PlanHeatmap heatmap(plan, spec, extent);
        for (const auto& w : heatmap.notes()) io.err << "note: " << gis::oneLine(w) << "\n";
        const core::KernelDensity& density = heatmap.density();
        const std::size_t count = heatmap.points();
        const std::size_t skipped = heatmap.skipped();
        const auto computing = std::chrono::steady_clock::now();
        auto values = heatmap.compute();
        const auto writing = std::chrono::steady_clock::now();
        auto drawing = writing;
        outputs.writeAndCommit([&] {
            if (!tifAt.empty()) gis::writeGeoTiff(tifAt, density.grid(), plan.crs, values, tiff);
            drawing = std::chrono::steady_clock::now();
#ifdef ONEMAP_WITH_RENDER
            if (!pngAt.empty()) {
                HeatPng png;
                png.path = pngAt;
                png.ramp = spec.ramp;
                png.heading = spec.title;
                png.title = !title_.empty()    ? title_
                            : heatmap_.empty() ? spec.title + " 核密度 kernel density"
                                               : spec.title;
                png.width = width_;
                png.height = height_;
                writeHeatPng(plan, density.grid(), std::move(values), density.kernel(),
                             density.radius(), *plan.layer(spec.layer), png);
            }
#endif
        });
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
        line << "heat: " << count << " points of '" << spec.layer << "'"
             << (skipped ? " (" + std::to_string(skipped) + " empty skipped)" : "") << ", "
             << gis::kernelName(density.kernel()) << " kernel, radius " << density.radius()
             << " m, " << g.columns << " × " << g.rows << " cells of " << g.cellSize << " m → "
             << tif_ << (tif_.empty() || png_.empty() ? "" : ", ") << png_ << " (per km²; read "
             << seconds(start, computing) << " s, density " << seconds(computing, writing) << " s"
             << (tif_.empty() ? "" : ", GeoTIFF " + seconds(writing, drawing) + " s")
             << (png_.empty() ? "" : ", PNG " + seconds(drawing, end) + " s") << ")\n";
        io.err << line.str();
        return 0;
    }

  private:
    // The heat map the options describe (--layer), checked before the plan is read; with
    // --heatmap, the plan's entry replaces it once the plan is read.
    core::HeatmapSpec optionsSpec() const {
        core::HeatmapSpec spec;
        if (!heatmap_.empty()) return spec;
        if (layer_.empty()) throw InputError("heat: give --layer LAYER or --heatmap ID");
        spec.id = spec.layer = spec.title = layer_;
        spec.where = where_;
        spec.weight = weight_;
        spec.centroids = centroids_;
        const auto kernel = gis::parseKernel(kernel_);
        if (!kernel)
            throw InputError("heat --kernel: '" + kernel_ + "' is not " + gis::kernelNames());
        spec.kernel = *kernel;
        if (!radius_.empty()) spec.radius = parseNumber(radius_, "--radius");
        if (!cell_.empty()) spec.cell = parseNumber(cell_, "--cell");
        if (!ramp_.empty()) spec.ramp = ramp_;
        return spec;
    }

    // Each -o is a .tif/.tiff or a .png, at most one of each; the PNG's options are checked.
    void checkOutputs() {
        for (const auto& output : outputs_) {
            std::string ext = fs::path(output).extension().string();
            for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string& slot = ext == ".png"                       ? png_
                                : (ext == ".tif" || ext == ".tiff") ? tif_
                                                                    : ext;
            if (&slot == &ext)
                throw InputError("heat -o " + output +
                                 ": the output is a GeoTIFF (.tif, .tiff) or a PNG map (.png)");
            if (!slot.empty())
                throw InputError("heat -o " + output + ": one GeoTIFF and one PNG at most (" +
                                 slot + " already)");
            slot = output;
        }
        if (png_.empty()) return;
#ifdef ONEMAP_WITH_RENDER
        if (!ramp_.empty()) checkHeatRamp(ramp_);
        const auto x = size_.find('x');
        const auto whole = [&](const std::string& text) {
            const double v = parseNumber(text, "--size");
            if (v != std::floor(v) || v < 16 || v > 20000)
                throw InputError("heat --size '" + size_ + "': 16 to 20000 whole pixels each way");
            return static_cast<int>(v);
        };
        if (x == std::string::npos) throw InputError("heat --size '" + size_ + "': give WxH");
        width_ = whole(size_.substr(0, x));
        height_ = whole(size_.substr(x + 1));
#else
        (void)width_;
        (void)height_;
        throw InputError("heat -o " + png_ + ": this build has no renderer (Qt); write a GeoTIFF");
#endif
    }

    std::string plan_, asOf_, layer_, where_, weight_, radius_, cell_,
        kernel_ = "quartic", extent_, compress_ = "deflate", ramp_, title_, heatmap_,
        size_ = "1600x1131", tif_, png_;
    std::vector<std::string> outputs_;
    int width_ = 1600, height_ = 1131;
    bool centroids_ = false;
};

}  // namespace

std::unique_ptr<Command> makeHeatCommand() { return std::make_unique<HeatCommand>(); }

}  // namespace onemap::cli

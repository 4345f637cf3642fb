// onemap render [PLAN] --output FILE.png|FILE.pdf: the one map as an image or a vector PDF.
#include <optional>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#include "onemap/render/heat_layer.hpp"
#include "onemap/render/map_renderer.hpp"

namespace onemap::cli {
namespace {

std::vector<double> numbers(const std::string& text, char sep, std::size_t count,
                            const std::string& option) {
    std::vector<double> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, sep)) {
        try {
            std::size_t used = 0;
            out.push_back(std::stod(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw InputError(option + " '" + text + "': '" + item + "' is not a number");
        }
    }
    if (out.size() != count)
        throw InputError(option + " '" + text + "': expected " + std::to_string(count) +
                         " numbers");
    return out;
}

class RenderCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "render", "Draw the one map to PNG or vector PDF (default: the bundled G60 one map)");
        sub->add_option("plan", plan_, "plan file (TOML)");
        sub->add_option("-o,--output", output_, "FILE.png or FILE.pdf")->required();
        addAsOfOption(sub, asOf_);
        addCacheOption(sub, noCache_);
        sub->add_option("--size", size_, "image size WxH in pixels (default 1600x1131)");
        sub->add_option("--extent", extent_,
                        "minx,miny,maxx,maxy in the plan CRS (widened to the image's aspect)");
        sub->add_option("--layers", layers_, "only these layer ids (comma-separated)")
            ->delimiter(',');
        sub->add_option("--sites", sites_,
                        "draw these sites, coloured by verdict, with their conflicts");
        sub->add_option("--sites-crs", sitesCrs_, "CRS of the sites when the file has none");
        sub->add_flag("--bare", bare_, "the map alone: no title, legend, scale bar or north arrow");
        sub->add_option("--title", title_, "title (default: the plan name)");
        sub->add_option("--heatmap", heatmap_,
                        "draw this [[heatmaps]] entry of the plan under the layers, polygons "
                        "as outlines");
        return sub;
    }

    int execute(Io& io) override {
        const core::Plan plan = loadPlan(plan_, asOf_);
        const core::HeatmapSpec* heatmap =
            heatmap_.empty() ? nullptr : &core::planHeatmap(plan, heatmap_, "render --heatmap");
        auto inputs = plan.files();
        inputs.push_back(sites_);
        gis::OutputFiles outputs(inputs);
        const std::string outputAt = outputs.stage(output_);
        render::RenderOptions o;
        const auto wh = numbers(size_, 'x', 2, "--size");
        o.size = QSize(static_cast<int>(wh[0]), static_cast<int>(wh[1]));
        if (!extent_.empty()) {
            const auto e = numbers(extent_, ',', 4, "--extent");
            if (e[0] >= e[2] || e[1] >= e[3])
                throw InputError("--extent: minx must be < maxx and miny < maxy");
            o.extent = gis::Envelope{e[0], e[1], e[2], e[3]};
        }
        if (!layers_.empty()) o.layers = layers_;
        o.bare = bare_;
        o.title = title_;
        CliFeedback feedback(io.err);
        core::LoadScope scope;
        scope.cache = !noCache_;
        const auto map = core::OneMap::load(plan, &feedback, scope);
        core::Report report;
        if (!sites_.empty()) {
            core::SiteOptions so;
            so.sitesCrs = sitesCrs_;
            const auto sites = core::SiteSet::load(sites_, plan.crs, so);
            report = core::ComplianceEngine(map).run(sites, &feedback);
            o.report = &report;
        }
        std::optional<render::HeatLayer> heat;
        if (heatmap) {
            const core::PlanHeatmap computed(plan, *heatmap);
            for (const auto& w : computed.notes()) io.err << "note: " << gis::oneLine(w) << "\n";
            heat = render::heatLayerOf(computed);
            o.heat = &*heat;
            o.polygonOutlines = true;
        }
        const render::MapRenderer renderer(map);
        outputs.writeAndCommit([&] { renderer.write(outputAt, o); });
        io.err << "wrote " << output_ << "\n";
        return 0;
    }

  private:
    std::string plan_, asOf_, output_, size_ = "1600x1131", extent_, sites_, sitesCrs_, title_,
                                       heatmap_;
    bool noCache_ = false;
    std::vector<std::string> layers_;
    bool bare_ = false;
};

}  // namespace

std::unique_ptr<Command> makeRenderCommand() { return std::make_unique<RenderCommand>(); }

}  // namespace onemap::cli

// onemap diff [PLAN] --layer ID --from DATE --to DATE: what a layer's revision changed —
// land gained and lost per admin unit, the changed shapes, a map of the change.
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/time/layer_diff.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#ifdef ONEMAP_WITH_RENDER
#include "onemap/render/map_renderer.hpp"
#include "onemap/render/style.hpp"
#endif

namespace onemap::cli {
namespace {

std::string areaText(double m2) { return core::describeArea(m2); }

std::string diffText(const core::LayerDiff& d) {
    std::ostringstream out;
    out << d.title << " (" << d.layer << "): " << d.from << " → " << d.to << "\n";
    auto version = [&d](const std::string& v, const std::string& doc, const std::string& day) {
        if (!d.dateField.empty()) return "the records with " + d.dateField + " ≤ " + day;
        return v.empty() ? std::string("no version in force (absent)")
                         : "version from " + v + (doc.empty() ? "" : " " + doc);
    };
    out << "  " << d.from << ": " << version(d.fromVersion, d.fromDoc, d.from) << "\n";
    out << "  " << d.to << ": " << version(d.toVersion, d.toDoc, d.to) << "\n";
    out << "gained 增加  " << areaText(d.gainedM2) << "\n";
    out << "lost   减少  " << areaText(d.lostM2) << "\n";
    out << "net    净变化 " << (d.gainedM2 >= d.lostM2 ? "+" : "−")
        << areaText(std::abs(d.gainedM2 - d.lostM2)) << "\n";
    if (!d.byAdmin.empty()) {
        out << "\nBy admin unit (largest change first):\n";
        for (const auto& a : d.byAdmin)
            out << "  " << (a.name.empty() ? "-" : a.name) << "  gained "
                << core::formatNumber(gis::toMu(a.gainedM2), 2) << " 亩, lost "
                << core::formatNumber(gis::toMu(a.lostM2), 2) << " 亩  ("
                << core::formatNumber(a.gainedM2, 2) << " / " << core::formatNumber(a.lostM2, 2)
                << " m²)\n";
    }
    return out.str();
}

class DiffCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "diff", "What a layer's revision changed between two days: land gained and lost");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        sub->add_option("--layer", layer_, "the versioned layer to compare")->required();
        sub->add_option("--from", from_, "the earlier day, YYYY-MM-DD")
            ->required()
            ->check(isoDate());
        sub->add_option("--to", to_, "the later day, YYYY-MM-DD (default: today)")
            ->check(isoDate());
        sub->add_option("--format", format_,
                        "text (default), json, png or pdf (default from --output's extension)");
        sub->add_option("-o,--output", output_, "write here (atomically) instead of stdout");
        sub->add_option("--changes", changes_,
                        "write the changed land as a GIS layer (.gpkg, .shp): change, admin, area");
        return sub;
    }

    int execute(Io& io) override {
        const core::Plan plan = core::Plan::load(planOrDefault(plan_));
        const std::string to = to_.empty() ? gis::todayIso() : to_;
        std::string format = format_;
        if (format.empty()) {
            const std::string ext = std::filesystem::path(output_).extension().string();
            format = ext == ".json"  ? "json"
                     : ext == ".png" ? "png"
                     : ext == ".pdf" ? "pdf"
                                     : "text";
        }
        if (format != "text" && format != "json" && format != "png" && format != "pdf")
            throw InputError("diff --format must be text, json, png or pdf, not '" + format + "'");
        if ((format == "png" || format == "pdf") &&
            std::filesystem::path(output_).extension() != "." + format)
            throw InputError("diff --format " + format + " needs --output FILE." + format);
        gis::OutputFiles outputs(plan.files());
        const std::string outputAt = output_.empty() ? "" : outputs.stage(output_);
        const std::string changesAt = changes_.empty() ? "" : outputs.stage(changes_);
        CliFeedback feedback(io.err);
        const core::LayerDiff d = core::diffLayer(plan, layer_, from_, to, &feedback);
        std::string bytes;
        if (format == "text") bytes = gis::escapeControl(diffText(d), true);
        if (format == "json") bytes = core::diffJson(d);
        outputs.writeAndCommit([&] {
            if (!changes_.empty()) (void)gis::writeLayer(changesAt, d.changes);
            if (format == "png" || format == "pdf")
                drawMap(plan, d, to, outputAt, feedback);
            else
                writeOutput(outputAt, bytes, io);
        });
        if (!output_.empty()) io.err << "wrote " << output_ << "\n";
        return 0;
    }

  private:
    void drawMap(const core::Plan& plan, const core::LayerDiff& d, const std::string& to,
                 const std::string& path, CliFeedback& feedback) const {
#ifdef ONEMAP_WITH_RENDER
        // The one map as of `to`, zoomed to the change, gained green and lost red on top.
        const auto map = core::OneMap::load(plan.inForceOn(to), &feedback);
        render::RenderOptions o;
        o.title = d.title + " 变化 " + d.from + " → " + d.to;
        o.overlays = {{d.gained, render::gainedColour(), QStringLiteral("增加 gained")},
                      { d.lost,
                        render::lostColour(),
                        QStringLiteral("减少 lost") }};
        gis::Envelope e;  // empty geometries have empty envelopes: expanding by them is a no-op
        e.expand(d.gained.envelope());
        e.expand(d.lost.envelope());
        if (!e.isEmpty()) {
            const double margin = 0.1 * std::max({e.width(), e.height(), 200.0});
            o.extent =
                gis::Envelope{e.minx - margin, e.miny - margin, e.maxx + margin, e.maxy + margin};
        }
        render::MapRenderer(map).write(path, o);
#else
        (void)plan, (void)d, (void)to, (void)path, (void)feedback;
        throw InputError("diff: this build has no renderer (Qt); use --format text or json");
#endif
    }

    std::string plan_, layer_, from_, to_, format_, output_, changes_;
};

}  // namespace

std::unique_ptr<Command> makeDiffCommand() { return std::make_unique<DiffCommand>(); }

}  // namespace onemap::cli

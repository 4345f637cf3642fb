// onemap find [PLAN] --area-mu N | --area-m2 N ...: where can this project go? Free land from
// the plan's rules, compact candidate plots on it, each checked by the compliance engine.
#include <filesystem>
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/report/find_report.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "report_formats.hpp"

namespace onemap::cli {
namespace {

class FindCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "find",
            "Find land for a project: free land under the plan's rules and candidate "
            "plots, each checked (default plan: the bundled G60 sample)");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        auto* mu = sub->add_option("--area-mu", areaMu_, "plot area in 亩 (1 亩 = 666.67 m²)");
        auto* m2 = sub->add_option("--area-m2", areaM2_, "plot area in m²");
        mu->excludes(m2);
        sub->add_option("--industry", industry_,
                        "the project's industry, as the parks name it (e.g. ic or 集成电路)");
        sub->add_flag("--any-park", anyPark_,
                      "search every park, ignoring industry matching (an industry no park "
                      "has is otherwise an error)");
        sub->add_option("--city", cities_, "only in these admin features (comma-separated)")
            ->delimiter(',');
        sub->add_option("--count", count_, "how many candidate plots (default 5)");
        sub->add_option("--brief", brief_,
                        "project brief (TOML: area, industry, attributes, weights; docs/find.md)");
        addAsOfOption(sub, asOf_);
        addCacheOption(sub, noCache_);
#ifdef ONEMAP_WITH_REPORT
        sub->add_option("--format", format_,
                        "text (default), json, html or pdf (default from --output's extension)")
            ->check(CLI::IsMember({"text", "json", "html", "pdf"}));
        sub->add_option("--date", date_, "the date printed in html/pdf reports (default: today)")
            ->check(isoDate());
#else
        sub->add_option("--format", format_, "text (default) or json")
            ->check(CLI::IsMember({"text", "json"}));
#endif
        sub->add_option("-o,--output", output_, "write the result here (atomically)");
        sub->add_option(
            "--candidates", candidates_,
            "write the candidate plots to a .gpkg or .shp (readable by check), or a 国土 TXT "
            "boundary-point file (.txt, GBK)");
        return sub;
    }

    int execute(Io& io) override {
        checkOptions();
        core::ProjectBrief brief;
        if (!brief_.empty()) brief = core::ProjectBrief::load(brief_);
        if (areaMu_) brief.areaM2 = *areaMu_ * gis::kSquareMetresPerMu;
        if (areaM2_) brief.areaM2 = *areaM2_;
        if (brief.areaM2 == 0 && brief_.empty())
            throw InputError("find: give the plot area, --area-mu N or --area-m2 N (or --brief)");
        if (!industry_.empty()) brief.industry = industry_;
        if (anyPark_) brief.anyPark = true;
        if (!cities_.empty()) brief.cities = cities_;
        if (count_) brief.count = *count_;
        brief.validate(brief_.empty() ? "find" : brief_);
        const core::Plan plan = loadPlan(plan_, asOf_);
        auto inputs = plan.files();
        if (!brief_.empty()) inputs.push_back(brief_);
        gis::OutputFiles outputs(inputs);
        const std::string candidatesAt = candidates_.empty() ? "" : outputs.stage(candidates_);
        const bool toFile = !output_.empty() && output_ != "-";
        const std::string outputAt = toFile ? outputs.stage(output_) : "";
        const std::string format = format_.empty() ? formatFromOutput() : format_;
        requireDocumentSupport("find", format);
        if ((format == "html" || format == "pdf") && !toFile)
            throw InputError("find --format " + format + " needs --output FILE." + format);
        CliFeedback feedback(io.err);
        core::LoadScope scope;
        scope.cache = !noCache_;
        const auto map = core::OneMap::load(plan, &feedback, scope);
        const core::FindResult result = core::SiteFinder(map, brief).find(&feedback);
        std::string bytes;
#ifdef ONEMAP_WITH_REPORT
        if (format == "html" || format == "pdf")
            bytes = findDocument(result, map, {format, date_, version()});
        else
#endif
            bytes = format == "json" ? core::findJson(result, version())
                                     : gis::escapeControl(core::findText(result), true);
        // The commit replaces an earlier file as a unit, even by none: no stale plots left.
        std::error_code ec;
        const bool replacesTxt = isTxt(candidates_) && std::filesystem::exists(candidates_, ec);
        gis::WriteResult written;
        outputs.writeAndCommit([&] {
            if (!candidates_.empty())
                written = core::writeCandidates(result, plan.crs, candidatesAt);
            writeOutput(outputAt, bytes, io);
        });
        if (!candidates_.empty() && result.candidates.empty() && isTxt(candidates_))
            io.err << "note: no candidate, so nothing written to " << candidates_
                   << " (a 国土 TXT holds at least one parcel)"
                   << (replacesTxt ? "; the earlier file there is removed" : "") << "\n";
        for (const auto& m : written.renamedFields)
            io.err << "note: " << candidates_ << ": field '" << m.original << "' is '"
                   << m.shortName << "' in a shapefile; write a .gpkg to check the plots again\n";
        if (toFile)
            io.err << result.candidates.size() << " candidate(s) of " << brief.count << " → "
                   << output_ << "\n";
        return result.candidates.empty() ? 1 : 0;
    }

  private:
    // The options in the flag's own name: a value out of range, text that is not UTF-8
    // (JSON and reports hold UTF-8 only), before anything is read.
    void checkOptions() const {
        const auto area = [](const char* flag, double m2) {
            if (!(m2 >= core::kMinAreaM2 && m2 <= core::kMaxAreaM2))
                throw InputError(std::string(flag) +
                                 ": the area must be from 1 m² to 10,000 km² (15,000,000 亩)");
        };
        if (areaMu_) area("--area-mu", *areaMu_ * gis::kSquareMetresPerMu);
        if (areaM2_) area("--area-m2", *areaM2_);
        if (count_ && (*count_ < 1 || *count_ > 100))
            throw InputError("--count: must be from 1 to 100");
        if (!gis::isValidUtf8(industry_)) throw InputError("--industry: not UTF-8 text");
        for (const auto& c : cities_)
            if (!gis::isValidUtf8(c)) throw InputError("--city: not UTF-8 text");
    }

    static bool isTxt(const std::string& path) { return gis::lowerExtension(path) == ".txt"; }

    // "plots.pdf" → pdf: the extension says what a planner wants when --format is absent.
    [[nodiscard]] std::string formatFromOutput() const {
        const std::string ext = gis::lowerExtension(output_);
        for (const char* f : {"json", "html", "pdf"})
            if (ext == std::string(".") + f) return f;
        return "text";
    }

    std::string plan_;
    std::optional<double> areaMu_;
    std::optional<double> areaM2_;
    std::string industry_;
    bool anyPark_ = false;
    std::vector<std::string> cities_;
    std::optional<int> count_;
    std::string brief_;
    std::string asOf_;
    bool noCache_ = false;
    std::string format_;
    std::string date_;
    std::string output_;
    std::string candidates_;
};

}  // namespace

std::unique_ptr<Command> makeFindCommand() { return std::make_unique<FindCommand>(); }

}  // namespace onemap::cli

// onemap check [PLAN] SITES: the site-selection compliance review (项目选址合规性审查).
#include <filesystem>
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/report/conflict_layer.hpp"
#include "onemap/core/report/csv_report.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/core/report/text_report.hpp"
#include "onemap/core/time/approval_register.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#ifdef ONEMAP_WITH_REPORT
#include "report_formats.hpp"
#endif

namespace onemap::cli {
namespace {

class CheckCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "check",
            "Check proposed sites against a plan's rules (default: the bundled G60 sample)");
        sub->add_option(
               "paths", paths_,
               "[PLAN] SITES — plan file (default: bundled G60) and any OGR-readable polygons, "
               "a 国土 TXT boundary-point file, a DXF drawing, a boundary-point table "
               "(CSV/XLSX) or KML/KMZ")
            ->expected(0, 2);
        sub->add_option("--id-field", options_.idField,
                        "site field holding the id (default: 'id', else the fid)");
        sub->add_option("--sites-crs", options_.sitesCrs,
                        "CRS of the sites when the file has none, e.g. EPSG:4326");
        sub->add_option("--from", options_.from,
                        "undo Chinese web-map offsets: gcj02 (AMap) or bd09 (Baidu)");
        sub->add_option("--layer", options_.table,
                        "layer inside the sites source (DXF: the CAD layer; XLSX: the sheet)");
        sub->add_option("--rules", rules_,
                        "only these rule ids (comma-separated); the report names the rules left "
                        "out and no site can then be a plain pass")
            ->delimiter(',');
        sub->add_option("--attr", attrs_,
                        "FIELD=VALUE: a figure the site file lacks, for every site (repeatable), "
                        "e.g. --attr plot_ratio=1.8");
        sub->add_option("--attr-table", attrTable_,
                        "CSV of figures the site file lacks: first column the site id, header "
                        "row the field names");
        addAsOfOption(sub, asOf_);
        addCacheOption(sub, noCache_);
        sub->add_flag("--approve", approve_,
                      "append the sites to the register of approved projects (--register), "
                      "only if every site passes every error rule");
        sub->add_option("--register", register_, "the register of approved projects (.gpkg)");
        sub->add_option("--approval-doc", approval_.doc, "the approving document, e.g. 批复文号");
        sub->add_option("--approval-date", approval_.date, "the approval date (default: today)")
            ->check(isoDate());
#ifdef ONEMAP_WITH_REPORT
        sub->add_option(
               "--format", format_,
               "text (default), json, csv, html or pdf (default from --output's extension)")
            ->check(CLI::IsMember({"text", "json", "csv", "html", "pdf"}));
        sub->add_option("--date", date_,
                        "the date printed in html/pdf reports (default: today), e.g. 2026-11-24")
            ->check(isoDate());
#else
        sub->add_option("--format", format_, "text (default), json or csv")
            ->check(CLI::IsMember({"text", "json", "csv"}));
#endif
        sub->add_option("--lang", lang_,
                        "the report's language: zh (中文) or en (default: the plan's, else zh)")
            ->check(CLI::IsMember({"zh", "en"}));
        sub->add_option("-o,--output", output_,
                        "write the report here (atomically) instead of stdout");
        sub->add_option("--conflicts", conflicts_,
                        "write conflict geometries to a .gpkg, .shp or .geojson (lon/lat)");
        sub->add_option("--threads", threads_, "worker threads (default: all cores)");
        sub->add_flag("-v,--verbose", verbose_,
                      "say how the check was done (layers read whole instead of near the sites, "
                      "and why)");
        sub->add_flag("--read-all", readAll_,
                      "read every feature of every layer (always so for html/pdf reports; "
                      "otherwise GeoPackage and PostGIS layers are read only near the sites)");
        return sub;
    }

    int execute(Io& io) override {
        std::string planPath;
        std::string sitesPath;
        if (paths_.size() == 2) {
            planPath = paths_[0];
            sitesPath = paths_[1];
        } else {
            planPath = planOrDefault("");
            sitesPath = paths_.empty() ? core::defaultSitesPath() : paths_[0];
        }
        if (approve_ != !register_.empty())
            throw InputError("check: --approve and --register FILE.gpkg go together");
        if (approve_) requireApprovalDay();
        if (approve_ && std::filesystem::path(register_).extension() != ".gpkg")
            throw InputError("--register " + register_ + ": the register is a GeoPackage (.gpkg)");
        const core::Plan plan = loadPlan(planPath, asOf_);
        std::optional<core::ApprovalRegister::Lock> registerLock;
        if (approve_) {
            // The register may be a plan layer, never the plan, the sites or another output.
            const auto same = [](const std::string& a, const std::string& b) {
                std::error_code ec;
                return std::filesystem::weakly_canonical(a, ec) ==
                       std::filesystem::weakly_canonical(b, ec);
            };
            for (const auto& p : {planPath, sitesPath, output_, conflicts_})
                if (!p.empty() && same(register_, p))
                    throw InputError("--register " + register_ + " is also " + p +
                                     "; the register must be a file of its own");
            registerLock.emplace(register_);  // from reading the register to appending to it
        }
        // Outputs are checked before the work: never an input, their folders writable.
        auto inputs = plan.files();
        inputs.push_back(sitesPath);
        gis::OutputFiles outputs(inputs);
        const std::string conflictsAt = conflicts_.empty() ? "" : outputs.stage(conflicts_);
        const bool toFile = !output_.empty() && output_ != "-";
        const std::string reportAt = toFile ? outputs.stage(output_) : "";
        CliFeedback feedback(io.err, verbose_);
        if (approve_) warnIfPlanReadsAnotherRegister(plan, feedback);
        const std::string format = format_.empty() ? formatFromOutput() : format_;
        requireDocumentSupport("check", format);
        core::SuppliedAttributes figures;
        for (const auto& a : attrs_) figures.addForEverySite(a);
        if (!attrTable_.empty()) figures.readTable(attrTable_);
        core::SiteSet sites = core::SiteSet::load(sitesPath, plan.crs, options_);
        if (!figures.empty()) sites.supply(std::move(figures));
        if (!attrTable_.empty()) sites.inputs[attrTable_] = gis::sha256File(attrTable_);
        for (const auto& note : sites.notes) feedback.warning(sitesPath + ": " + note);
        // Reports draw whole maps; text, JSON and CSV need only what meets the sites.
        const bool drawsMaps = format == "html" || format == "pdf";
        core::LoadScope scope = readAll_ || drawsMaps
                                    ? core::LoadScope{}
                                    : core::ComplianceEngine::scopeFor(plan, rules_, sites);
        scope.cache = !noCache_;
        const auto map = core::OneMap::load(plan, &feedback, scope);
        core::ComplianceEngine engine(map, rules_);
        engine.setConflictGeometries(drawsMaps || !conflicts_.empty());
        sites.requireNear(map->extent());
        core::Report report = engine.run(sites, &feedback, threads_);
        if (!lang_.empty()) report.lang = core::parseLang(lang_, "--lang");

        // Render everything before writing anything: a failure leaves no partial output.
        std::string bytes;
#ifdef ONEMAP_WITH_REPORT
        if (format == "html" || format == "pdf")
            bytes = reportDocument(report, map, {format, date_, version()});
        else
#endif
            if (format == "json")
            bytes = core::reportJson(report, version());
        else if (format == "csv")
            bytes = core::reportCsv(report);
        else
            bytes = core::reportText(report);
        // Approval is all or nothing: one failing site and the register is left untouched.
        const auto refusals =
            approve_ ? core::ApprovalRegister::refusals(report) : std::vector<std::string>{};
        outputs.writeAndCommit([&] {  // all outputs appear together, or none
            if (approve_ && refusals.empty())
                core::ApprovalRegister::append(register_, report, sites, approval_, plan.crs,
                                               plan.asOf);
            if (!conflicts_.empty()) core::writeConflicts(report, plan.crs, conflictsAt);
            writeOutput(reportAt, bytes, io);
        });
        for (const auto& r : refusals)
            io.err << "onemap: not approved, nothing added to " << register_ << ": "
                   << gis::oneLine(r) << "\n";
        if (approve_ && refusals.empty())
            io.err << "approved " << report.sites.size() << " site(s) on " << approval_.date
                   << " into " << register_ << "\n";
        if (toFile) {
            io.err << report.sites.size() << " sites: " << report.countWhole(core::Verdict::Pass)
                   << " pass, " << report.countWhole(core::Verdict::Warn) << " warn, ";
            if (const auto n = report.countPartial()) io.err << n << " partial, ";
            io.err << report.count(core::Verdict::Fail) << " fail → " << output_ << "\n";
        }
        for (const auto& s : report.sites)
            if (!s.error.empty())
                io.err << "onemap: "
                       << gis::oneLine(sitesPath + ": site '" + s.id +
                                       "' could not be checked: " + s.error)
                       << "\n";
        return report.exitCode();
    }

  private:
    // Approvals written to a file the plan does not read are never ruled against: a plan
    // with dated layers (its registers) that are all other files is probably not meant so.
    void warnIfPlanReadsAnotherRegister(const core::Plan& plan, core::Feedback& feedback) const {
        std::error_code ec;
        const auto mine = std::filesystem::weakly_canonical(register_, ec);
        std::string theirs;
        for (const auto& l : plan.layers) {
            if (l.dateField.empty()) continue;
            if (std::filesystem::weakly_canonical(l.source, ec) == mine) return;
            theirs += (theirs.empty() ? "" : ", ") + l.source;
        }
        if (!theirs.empty())
            feedback.warning("--register " + register_ + " is not the register the plan reads (" +
                             theirs + "): its approvals will not be ruled against");
    }

    // A site is approved against the plan in force on its approval day, so the check day
    // (--as-of) is the approval date (--approval-date, default today): --approval-date alone
    // checks as of that day; an --as-of that differs from it is refused (it would register
    // an approval dated one day, checked against another day's plan).
    void requireApprovalDay() {
        const bool dated = !approval_.date.empty();
        if (!dated) approval_.date = gis::todayIso();
        if (!core::isIsoDate(approval_.date))
            throw InputError("--approval-date: '" + approval_.date +
                             "' is not a date; write YYYY-MM-DD");
        if (asOf_.empty()) {
            asOf_ = approval_.date;
        } else if (asOf_ != approval_.date) {
            throw InputError("--as-of " + asOf_ + " is not the approval date " + approval_.date +
                             (dated ? "" : " (today)") +
                             ": a site is approved against the plan in force on its approval "
                             "day; give --approval-date " +
                             asOf_ + " or leave --as-of out");
        }
    }

    // "report.pdf" → pdf: the extension says what a planner wants when --format is absent.
    [[nodiscard]] std::string formatFromOutput() const {
        const auto dot = output_.rfind('.');
        const std::string ext = dot == std::string::npos ? "" : output_.substr(dot + 1);
        for (const char* f : {"json", "csv", "html", "pdf"})
            if (ext == f) return ext;
        return "text";
    }

    std::vector<std::string> paths_;
    core::SiteOptions options_;
    std::vector<std::string> rules_;
    std::vector<std::string> attrs_;
    std::string attrTable_;
    std::string format_;
    std::string lang_;
    std::string date_;
    std::string asOf_;
    bool noCache_ = false;
    std::string output_;
    std::string conflicts_;
    int threads_ = 0;
    bool readAll_ = false;
    bool verbose_ = false;
    bool approve_ = false;
    std::string register_;
    core::Approval approval_;
};

}  // namespace

std::unique_ptr<Command> makeCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace onemap::cli

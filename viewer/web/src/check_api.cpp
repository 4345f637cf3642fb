#include "check_api.hpp"

#include <sstream>

#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/report/conflict_geojson.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/web/http_error.hpp"
#include "upload_dir.hpp"
#ifdef ONEMAP_WEB_WITH_REPORT
#include "onemap/report/report_document.hpp"
#endif

namespace onemap::web {
namespace {

std::vector<std::string> commaList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// The uploaded file named as the client named it wherever the check writes its path.
void relabel(core::SiteSet& sites, const UploadDir& dir) {
    sites.source = dir.relabel(sites.source);
    std::map<std::string, std::string> inputs;
    for (auto& [path, hash] : sites.inputs) inputs[dir.relabel(path)] = hash;
    sites.inputs = std::move(inputs);
    for (auto& n : sites.notes) n = dir.relabel(n);
    for (auto& s : sites.sites)
        for (auto& w : s.warnings) w = dir.relabel(w);
}

void relabel(core::Report& report, const UploadDir& dir) {
    for (auto& w : report.warnings) w = dir.relabel(w);
    for (auto& s : report.sites) {
        s.error = dir.relabel(s.error);
        for (auto& w : s.warnings) w = dir.relabel(w);
    }
}

}  // namespace

std::string uploadName(const ApiRequest& request) {
    std::string name = request.fileName();
    if (!name.empty()) return name;
    const auto first = request.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && request.body[first] == '{') return "sites.geojson";
    throw HttpError(400,
                    "name the site file (?filename=sites.txt or Content-Disposition), or "
                    "post a GeoJSON FeatureCollection");
}

CheckApi::Checked CheckApi::run(const ApiRequest& request, bool conflictGeometries) const {
    if (request.body.empty()) throw HttpError(400, "the body is empty: post the sites");
    const std::string asOf = request.date("as_of");
    core::SiteOptions options;
    options.from = request.param("from").value_or("");
    if (!options.from.empty() && options.from != "gcj02" && options.from != "bd09")
        throw HttpError(400, "from: '" + options.from + "' is not gcj02 or bd09");
    options.idField = request.param("id_field").value_or("");
    options.table = request.param("layer").value_or("");
    options.sitesCrs = request.param("sites_crs").value_or("");
    const std::vector<std::string> rules = commaList(request.param("rules").value_or(""));
    const std::string lang = request.param("lang").value_or("");

    const std::string name = uploadName(request);
    const UploadDir dir;
    const std::string path = dir.write(name, request.body);
    try {
        // The sites are read in the plan's CRS: the loaded map's plan is plan(asOf), taken
        // when it loaded (no copy of the plan per request); a day not loaded yet takes it.
        const auto loaded = maps_.loaded(asOf);
        const gis::Crs crs = loaded ? loaded->plan().crs : maps_.plan(asOf).crs;
        core::SiteSet sites = core::SiteSet::load(path, crs, options);
        relabel(sites, dir);
        auto map = maps_.map(asOf);
        const auto engine = maps_.engine(asOf, rules, conflictGeometries);
        sites.requireNear(map->extent());
        core::Report report = engine->run(sites);
        if (!lang.empty()) report.lang = core::parseLang(lang, "lang");
        relabel(report, dir);
        return {std::move(report), std::move(map), std::move(sites)};
    } catch (const InputError& e) {
        throw InputError(dir.relabel(e.what()));
    }
}

CheckApi::Checked CheckApi::runAfresh(const std::string& fileName, const std::string& bytes,
                                      const std::string& day) const {
    const UploadDir dir;
    const std::string path = dir.write(fileName, bytes);
    try {
        const core::Plan plan = maps_.plan(day);
        core::SiteSet sites = core::SiteSet::load(path, plan.crs, {});
        relabel(sites, dir);
        const auto map =
            core::OneMap::load(plan, nullptr, core::ComplianceEngine::scopeFor(plan, {}, sites));
        const core::ComplianceEngine engine(map, {});
        sites.requireNear(map->extent());
        core::Report report = engine.run(sites);
        relabel(report, dir);
        return {std::move(report), map, std::move(sites)};
    } catch (const InputError& e) {
        throw InputError(dir.relabel(e.what()));
    }
}

ApiResponse CheckApi::check(const ApiRequest& request) const {
    request.allowOnly(
        {"as_of", "rules", "from", "lang", "id_field", "layer", "sites_crs", "filename"});
    const Checked c = run(request, false);
    ApiResponse r;
    r.body = core::reportJson(c.report, version_);
    return r;
}

ApiResponse CheckApi::conflicts(const ApiRequest& request) const {
    request.allowOnly(
        {"as_of", "rules", "from", "lang", "id_field", "layer", "sites_crs", "filename"});
    Checked c = run(request, true);
    // The overlap with a layer that is not public is not shown to the public: its verdict and
    // measures stay (in /api/check), its shape goes.
    if (!request.caller.seesHiddenLayers())
        for (const auto& layer : c.map->plan().layers)
            if (!layer.isPublic)
                for (auto& site : c.report.sites)
                    for (auto& rule : site.rules)
                        if (rule.layer == layer.id) rule.conflict = gis::Geometry();
    ApiResponse r;
    r.body = core::conflictsGeoJson(c.report, c.map->plan().crs);
    r.contentType = "application/geo+json; charset=utf-8";
    return r;
}

ApiResponse CheckApi::report(const ApiRequest& request) const {
    request.allowOnly({"as_of", "rules", "from", "lang", "id_field", "layer", "sites_crs",
                       "filename", "format", "date"});
    const std::string format = request.param("format").value_or("pdf");
    if (format != "pdf" && format != "html")
        throw HttpError(400, "format: '" + format + "' is not pdf or html");
    const std::string date = request.date("date");
#ifdef ONEMAP_WEB_WITH_REPORT
    const Checked c = run(request, true);
    // Qt paints one document at a time in this process.
    static std::mutex painting;
    std::lock_guard lock(painting);
    const report::DocumentOptions o{date, version_};
    ApiResponse r;
    r.body = format == "pdf" ? report::pdfReport(c.report, c.map, o)
                             : report::htmlReport(c.report, c.map, o);
    r.contentType = format == "pdf" ? "application/pdf" : "text/html; charset=utf-8";
    r.headers.emplace_back("Content-Disposition",
                           std::string("attachment; filename=\"report.") + format + "\"");
    return r;
#else
    throw HttpError(501, "report: this build has no report documents (Qt)");
#endif
}

}  // namespace onemap::web

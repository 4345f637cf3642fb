#include "report_html.hpp"

#include <QDate>
#include <algorithm>
#include <map>
#include <sstream>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/report/text_report.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/library_versions.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/render/map_renderer.hpp"
#include "onemap/render/style.hpp"

namespace onemap::report {

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

std::string paramText(const core::ParamValue& v) {
    if (const auto* d = std::get_if<double>(&v)) return gis::toString(gis::Value{*d});
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    std::string out;
    for (const auto& [k, x] : std::get<std::map<std::string, std::string>>(v))
        out += (out.empty() ? "" : ", ") + k + "=" + x;
    return "{" + out + "}";
}

// A view around the site at a readable scale: three times its size, at least 1.5 km.
gis::Envelope siteView(const core::SiteReport& s) {
    auto e = s.geometry.envelope();
    const auto c = e.center();
    const double half = std::max({e.width(), e.height(), 500.0}) * 1.5;
    return {c.x - half, c.y - half * 0.7, c.x + half, c.y + half * 0.7};
}

}  // namespace

std::string verdictCell(core::Verdict v, const std::string& text) {
    const QColor c = render::verdictTextColour(v);
    return "<td class=\"v\" style=\"color:" + c.name().toStdString() + "\"><b>" + esc(text) +
           "</b></td>";
}

std::string verdictCell(const core::SiteReport& s, core::Lang lang) {
    return verdictCell(s.verdict(), core::siteVerdictWording(s).in(lang));
}

std::string verdictCell(const core::RuleResult& r, core::Lang lang) {
    return verdictCell(r.verdict(), core::ruleVerdictWording(r).in(lang));
}

const char* htmlLang(core::Lang lang) { return lang == core::Lang::Zh ? "zh-CN" : "en"; }

void writeCoverage(std::ostringstream& h, const core::Report& report) {
    const core::Lang lang = report.lang;
    const auto say = [lang](const core::Wording& w) { return esc(w.in(lang)); };
    namespace phrase = core::phrase;
    if (!report.asOf.empty()) {
        h << "<h3>" << say(core::fill(phrase::capVersions, {core::Wording::same(report.asOf)}))
          << "</h3>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" "
             "border=\"1\"><tr><th>"
          << say(phrase::capLayer) << "</th><th>" << say(phrase::capFrom) << "</th><th>"
          << say(phrase::capDocument) << "</th></tr>\n";
        for (const auto& v : report.versions)
            h << "<tr><td>" << esc(v.layer) << "</td><td>" << esc(v.from) << "</td><td>"
              << esc(v.doc) << "</td></tr>\n";
        for (const auto& l : report.notInForce)
            h << "<tr><td>" << esc(l.layer) << "</td><td colspan=\"2\"><b>"
              << say(core::reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf))
              << "</b></td></tr>\n";
        h << "</table>\n";
    }
    std::vector<std::pair<std::string, std::string>> rules;  // id + title, why
    for (const auto& r : report.notApplied)
        rules.emplace_back(r.id + " " + r.title, core::reasonLeftOut().in(lang));
    std::map<std::string, std::size_t> notChecked;  // rule → sites it was not checked on
    std::map<std::string, std::string> why;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules)
            if (!r.checked()) {
                ++notChecked[r.ruleId + " " + r.title];
                why.emplace(r.ruleId + " " + r.title, r.notChecked.in(lang));
            }
    for (const auto& [rule, n] : notChecked)
        rules.emplace_back(rule, why[rule] + " (" + std::to_string(n) + "/" +
                                     std::to_string(report.sites.size()) + ")");
    if (rules.empty()) return;
    h << "<h3>" << say(phrase::rulesNotApplied)
      << "</h3>\n<table width=\"100%\" cellspacing=\"0\" "
         "cellpadding=\"3\" border=\"1\"><tr><th width=\"30%\">"
      << say(phrase::capRule) << "</th><th>" << say(phrase::capReason) << "</th></tr>\n";
    for (const auto& [rule, reason] : rules)
        h << "<tr><td>" << esc(rule) << "</td><td>" << esc(reason) << "</td></tr>\n";
    h << "</table>\n";
}

const char* const kDocumentCss = R"(
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; color: #222; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 22pt; margin: 0.2em 0; } h2 { font-size: 16pt; border-bottom: 2px solid #444; padding-bottom: 3px; }
h3 { font-size: 12pt; } table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 2px 5px; font-size: 8.5pt; vertical-align: top; }
th { background: #eee; text-align: left; } td.n { text-align: right; } .muted { color: #666; font-size: 9pt; }
img { width: 100%; border: 1px solid #aaa; } pre { font-size: 8pt; white-space: pre-wrap; background: #f6f6f6; padding: 6px; }
 .cover { text-align: left; }
@page { size: A4; margin: 15mm; }
)";

std::string buildHtml(const core::Report& report, const core::OneMap& map,
                      std::shared_ptr<const core::OneMap> shared, const DocumentOptions& options,
                      const ImageSink& sink, bool forPrint) {
    const std::string date = options.date.empty()
                                 ? QDate::currentDate().toString(Qt::ISODate).toStdString()
                                 : options.date;
    const render::MapRenderer renderer(std::move(shared));
    const core::Lang lang = report.lang;
    const auto say = [lang](const core::Wording& w) { return esc(w.in(lang)); };
    namespace phrase = core::phrase;
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"" << htmlLang(lang)
      << "\"><head><meta charset=\"utf-8\">\n<title>" << say(phrase::docTitle) << " — "
      << esc(report.planName) << "</title>\n<style>" << kDocumentCss << "</style></head>\n<body>\n";

    // Cover.
    h << "<div class=\"cover\">\n<p class=\"muted\">" << say(phrase::docKicker) << "</p>\n";
    h << "<h1>" << say(phrase::docTitle) << "</h1>\n<p><b>" << esc(report.planName) << "</b></p>\n";
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th "
         "width=\"25%\">"
      << say(phrase::capDate) << "</th><td>" << esc(date) << "</td></tr>";
    if (!report.asOf.empty())
        h << "<tr><th>" << say(phrase::capAsOf) << "</th><td><b>" << esc(report.asOf)
          << "</b></td></tr>";
    h << "<tr><th>" << say(phrase::capSoftware) << "</th><td>onemap " << esc(options.version)
      << "</td></tr>"
      << "<tr><th>" << say(phrase::capCrs) << "</th><td>"
      << esc(map.plan().crs.label() + " " + map.plan().crs.name()) << "</td></tr>"
      << "<tr><th>" << say(phrase::capSites) << "</th><td>" << say(core::sitesSummary(report))
      << "</td></tr></table>\n";
    writeCoverage(h, report);
    render::RenderOptions overview;
    overview.size = QSize(1400, 990);
    overview.report = &report;
    overview.title =
        core::fill(phrase::overviewTitle, {core::Wording::same(report.planName)}).in(lang);
    h << "<p><img alt=\"overview\" src=\"" << sink("overview", renderer.renderImage(overview))
      << "\"" << (forPrint ? " width=\"560\"" : "") << "></p>\n";
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th>"
      << say(phrase::capId) << "</th><th>" << say(phrase::capName) << "</th><th>"
      << say(phrase::capCity) << "</th><th class=\"n\">" << say(phrase::capAreaMu) << "</th><th>"
      << say(phrase::capVerdict) << "</th></tr>\n";
    for (const auto& s : report.sites) {
        std::string cities;
        for (const auto& a : s.admin) cities += (cities.empty() ? "" : " / ") + a.name;
        h << "<tr><td>" << esc(s.id) << "</td><td>" << esc(s.name) << "</td><td>" << esc(cities)
          << "</td><td class=\"n\">" << core::formatNumber(gis::toMu(s.areaM2), 2) << "</td>"
          << verdictCell(s, lang) << "</tr>\n";
    }
    h << "</table>\n</div>\n";

    for (const auto& s : report.sites) writeSiteSection(h, report, s, renderer, sink, forPrint);
    writeAuditAppendix(h, report, map, options);
    h << "</body></html>\n";
    return h.str();
}

void writeSiteSection(std::ostringstream& h, const core::Report& report, const core::SiteReport& s,
                      const render::MapRenderer& renderer, const ImageSink& sink, bool forPrint,
                      const std::string& extraHtml,
                      const std::vector<render::MapOverlay>& overlays) {
    h << "<section id=\"site-" << esc(s.id)
      << "\" class=\"site\">\n<h2 style=\"page-break-before: always\">" << esc(s.id) << " "
      << esc(s.name) << "</h2>\n";
    std::string cities;
    for (const auto& a : s.admin)
        cities += (cities.empty() ? "" : " / ") + a.name + " " +
                  core::formatNumber(a.fraction * 100, 1) + "%";
    const core::Lang lang = report.lang;
    const auto say = [lang](const core::Wording& w) { return esc(w.in(lang)); };
    namespace phrase = core::phrase;
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th "
         "width=\"25%\">"
      << say(phrase::capVerdict) << "</th>" << verdictCell(s, lang) << "</tr>"
      << "<tr><th>" << say(phrase::capCity) << "</th><td>" << esc(cities.empty() ? "—" : cities)
      << (s.crossBoundary() ? " <b>" + say(phrase::crossBoundary) + "</b>" : "") << "</td></tr>"
      << "<tr><th>" << say(phrase::capArea) << "</th><td>" << say(core::areaWording(s.areaM2))
      << " · " << say(phrase::ellipsoidalArea) << "</td></tr></table>\n";
    for (const auto& w : s.warnings) h << "<p class=\"muted\">⚠ " << esc(w) << "</p>\n";
    render::RenderOptions view;
    view.size = QSize(1200, 560);
    view.extent = siteView(s);
    view.report = &report;
    view.highlightSites = {s.id};
    view.overlays = overlays;
    view.title = s.id + " " + s.name;
    h << "<p><img alt=\"map " << esc(s.id) << "\" src=\""
      << sink("site-" + s.id, renderer.renderImage(view)) << "\""
      << (forPrint ? " width=\"560\"" : "") << "></p>\n";
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th "
         "width=\"30%\">"
      << say(phrase::capRule) << "</th><th width=\"17%\">" << say(phrase::capKind)
      << "</th><th width=\"13%\">" << say(phrase::capVerdict) << "</th><th>"
      << say(phrase::capMeasure) << "</th></tr>\n";
    for (const auto& r : s.rules) {
        h << "<tr><td>" << esc(r.title) << "</td><td>"
          << (r.kindLabel.empty() ? esc(r.kind) : say(r.kindLabel)) << " · "
          << say(core::severityWording(r.severity)) << "</td>" << verdictCell(r, lang) << "<td>"
          << esc(r.checked() ? core::describeMeasure(r, lang) : r.notChecked.in(lang))
          << "</td></tr>\n";
    }
    h << "</table>\n";
    // Breakdowns (m² per class) get a table of their own, whatever rule made them.
    for (const auto& r : s.rules) {
        for (const auto& m : r.measures) {
            if (m.unit != core::Unit::Breakdown || m.breakdown.empty()) continue;
            h << "<h3>" << esc(r.title) << " — " << say(m.label)
              << "</h3>\n<table><tr><th></th><th class=\"n\">m²</th>"
              << "<th class=\"n\">亩</th><th class=\"n\">"
              << (lang == core::Lang::Zh ? "公顷" : "ha") << "</th></tr>\n";
            for (const auto& [cls, m2] : m.breakdown)
                h << "<tr><td>" << esc(cls) << "</td><td class=\"n\">" << core::formatNumber(m2, 2)
                  << "</td><td class=\"n\">" << core::formatNumber(gis::toMu(m2), 2)
                  << "</td><td class=\"n\">" << core::formatNumber(gis::toHectares(m2), 4)
                  << "</td></tr>\n";
            h << "</table>\n";
        }
    }
    h << extraHtml << "</section>\n";
}

void writeAuditAppendix(std::ostringstream& h, const core::Report& report, const core::OneMap& map,
                        const DocumentOptions& options) {
    const core::Lang lang = report.lang;
    const auto say = [lang](const core::Wording& w) { return esc(w.in(lang)); };
    const auto n = [](std::size_t v) { return core::Wording::same(std::to_string(v)); };
    namespace phrase = core::phrase;
    h << "<section id=\"audit\">\n<h2 style=\"page-break-before: always\">"
      << say(phrase::auditTitle) << "</h2>\n<h3>" << say(phrase::capInputs) << "</h3>\n<table>";
    auto inputs = report.inputs;
    if (!report.sitesPath.empty()) {
        try {
            inputs[report.sitesPath] = gis::sha256File(report.sitesPath);
        } catch (const std::exception&) {
            inputs[report.sitesPath] = phrase::notAFile.in(lang);
        }
    }
    for (const auto& [path, hash] : inputs)
        h << "<tr><td>" << esc(path) << "</td><td><code>" << esc(hash) << "</code></td></tr>\n";
    if (!report.asOf.empty()) {
        h << "</table>\n<h3>"
          << say(core::fill(phrase::capVersions, {core::Wording::same(report.asOf)}))
          << "</h3>\n<table><tr><th>" << say(phrase::capLayer) << "</th><th>"
          << say(phrase::capFrom) << "</th><th>" << say(phrase::capDocument) << "</th></tr>\n";
        for (const auto& v : report.versions)
            h << "<tr><td>" << esc(v.layer) << "</td><td>" << esc(v.from) << "</td><td>"
              << esc(v.doc) << "</td></tr>\n";
    }
    h << "</table>\n<h3>" << say(phrase::capRuleParams) << "</h3>\n<table><tr><th>"
      << say(phrase::capRule) << "</th><th>" << say(phrase::capKind) << "</th><th>"
      << say(phrase::capSeverity) << "</th><th>" << say(phrase::capParams) << "</th></tr>\n";
    for (const auto& r : map.plan().rules) {
        std::string params;
        for (const auto& [k, v] : r.params)
            params += (params.empty() ? "" : "; ") + k + " = " + paramText(v);
        h << "<tr><td>" << esc(r.id + " " + r.title) << "</td><td>" << esc(r.kind) << "</td><td>"
          << say(core::severityWording(r.severity)) << "</td><td>" << esc(params) << "</td></tr>\n";
    }
    h << "</table>\n<h3>" << say(phrase::capSoftwareVersions)
      << "</h3>\n<table><tr><td>onemap</td><td>" << esc(options.version) << "</td></tr>"
      << "<tr><td>GDAL</td><td>" << esc(gis::gdalVersion()) << "</td></tr><tr><td>GEOS</td><td>"
      << esc(gis::geosVersion()) << "</td></tr><tr><td>PROJ</td><td>" << esc(gis::projVersion())
      << "</td></tr><tr><td>Qt</td><td>" << qVersion() << "</td></tr></table>\n<h3>"
      << say(phrase::capWarnings) << "</h3>\n";
    std::size_t warnings = report.warnings.size();
    for (const auto& s : report.sites) warnings += s.warnings.size();
    h << "<p>" << say(core::fill(phrase::warningsCount, {n(warnings)})) << "</p>\n<ul>\n";
    std::size_t shown = 0;
    for (const auto& w : report.warnings)
        if (++shown <= 300) h << "<li>" << esc(w) << "</li>\n";
    for (const auto& s : report.sites)
        for (const auto& w : s.warnings) h << "<li>" << esc(s.id + ": " + w) << "</li>\n";
    if (shown > 300)
        h << "<li>" << say(core::fill(phrase::moreInJson, {n(shown - 300)})) << "</li>\n";
    h << "</ul>\n<h3>"
      << say(core::fill(phrase::capPlanFile, {core::Wording::same(map.plan().path)}))
      << "</h3>\n<pre>" << esc(map.plan().text) << "</pre>\n";
    h << "<p class=\"muted\">"
      << say(core::fill(phrase::measureNotes, {core::Wording::same(map.plan().crs.label())}))
      << "</p>\n</section>\n";
}

}  // namespace onemap::report

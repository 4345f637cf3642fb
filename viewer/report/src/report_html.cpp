#include "report_html.hpp"

#include <QDate>
#include <algorithm>
#include <map>
#include <sstream>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
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
    const QColor c = render::verdictColour(v);
    return "<td class=\"v\" style=\"color:" + c.name().toStdString() + "\"><b>" + esc(text) +
           "</b></td>";
}

std::string verdictCell(const core::SiteReport& s) {
    return verdictCell(s.verdict(), core::verdictCaption(s));
}

std::string verdictCell(const core::RuleResult& r) {
    return verdictCell(r.verdict(), core::ruleVerdictCaption(r));
}

void writeCoverage(std::ostringstream& h, const core::Report& report) {
    using Captions = core::CoverageCaptions;
    if (!report.asOf.empty()) {
        h << "<h3>" << Captions::versions << " — " << esc(core::asOfLine(report.asOf))
          << "</h3>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" "
             "border=\"1\"><tr><th>图层 Layer</th><th>"
          << Captions::versionFrom << "</th><th>" << Captions::versionDoc << "</th></tr>\n";
        for (const auto& v : report.versions)
            h << "<tr><td>" << esc(v.layer) << "</td><td>" << esc(v.from) << "</td><td>"
              << esc(v.doc) << "</td></tr>\n";
        for (const auto& l : report.notInForce)
            h << "<tr><td>" << esc(l.layer) << "</td><td colspan=\"2\"><b>"
              << esc(core::reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf))
              << "</b></td></tr>\n";
        h << "</table>\n";
    }
    std::vector<std::pair<std::string, std::string>> rules;  // id + title, why
    for (const auto& r : report.notApplied)
        rules.emplace_back(r.id + " " + r.title, core::reasonLeftOut());
    std::map<std::string, std::size_t> notChecked;  // rule → sites it was not checked on
    std::map<std::string, std::string> why;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules)
            if (!r.checked()) {
                ++notChecked[r.ruleId + " " + r.title];
                why.emplace(r.ruleId + " " + r.title, r.notChecked);
            }
    for (const auto& [rule, n] : notChecked)
        rules.emplace_back(rule, why[rule] + " (" + std::to_string(n) + "/" +
                                     std::to_string(report.sites.size()) + " 个项目 sites)");
    if (rules.empty()) return;
    h << "<h3>" << Captions::rulesNotApplied
      << "</h3>\n<table width=\"100%\" cellspacing=\"0\" "
         "cellpadding=\"3\" border=\"1\"><tr><th width=\"30%\">审查规则 Rule</th><th>"
      << Captions::reason << "</th></tr>\n";
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
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
         "charset=\"utf-8\">\n<title>选址合规性审查报告 — "
      << esc(report.planName) << "</title>\n<style>" << kDocumentCss << "</style></head>\n<body>\n";

    // Cover.
    h << "<div class=\"cover\">\n<p class=\"muted\">项目选址合规性审查 · Site-selection compliance "
         "review</p>\n";
    h << "<h1>选址合规性审查报告</h1>\n<p><b>" << esc(report.planName) << "</b></p>\n";
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th "
         "width=\"25%\">报告日期 Date</th><td>"
      << esc(date) << "</td></tr>";
    if (!report.asOf.empty())
        h << "<tr><th>" << core::CoverageCaptions::asOf << "</th><td><b>" << esc(report.asOf)
          << "</b></td></tr>";
    h << "<tr><th>软件 Software</th><td>onemap " << esc(options.version) << "</td></tr>"
      << "<tr><th>坐标系 CRS</th><td>" << esc(map.plan().crs.label() + " " + map.plan().crs.name())
      << "</td></tr>"
      << "<tr><th>审查项目 Sites</th><td>" << report.sites.size()
      << " 个: " << report.countWhole(core::Verdict::Pass) << " 合规, "
      << report.countWhole(core::Verdict::Warn) << " 警示, ";
    if (const auto n = report.countPartial())
        h << n << " " << core::CoverageCaptions::partial << ", ";
    h << report.count(core::Verdict::Fail) << " 不合规</td></tr></table>\n";
    writeCoverage(h, report);
    render::RenderOptions overview;
    overview.size = QSize(1400, 990);
    overview.report = &report;
    overview.title = report.planName + " — 项目选址总览";
    h << "<p><img alt=\"overview\" src=\"" << sink("overview", renderer.renderImage(overview))
      << "\"" << (forPrint ? " width=\"560\"" : "") << "></p>\n";
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th>编号 "
         "ID</th><th>项目名称 Name</th><th>所在城市 City</th><th class=\"n\">面积 "
         "(亩)</th><th>结论 Verdict</th></tr>\n";
    for (const auto& s : report.sites) {
        std::string cities;
        for (const auto& a : s.admin) cities += (cities.empty() ? "" : " / ") + a.name;
        h << "<tr><td>" << esc(s.id) << "</td><td>" << esc(s.name) << "</td><td>" << esc(cities)
          << "</td><td class=\"n\">" << core::formatNumber(gis::toMu(s.areaM2), 2) << "</td>"
          << verdictCell(s) << "</tr>\n";
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
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th "
         "width=\"25%\">结论 Verdict</th>"
      << verdictCell(s) << "</tr>"
      << "<tr><th>所在城市 City</th><td>" << esc(cities.empty() ? "—" : cities)
      << (s.crossBoundary() ? " <b>(跨行政区 cross-boundary)</b>" : "") << "</td></tr>"
      << "<tr><th>用地面积 Area</th><td>" << core::formatNumber(s.areaM2, 2) << " m² · "
      << core::formatNumber(gis::toMu(s.areaM2), 2) << " 亩 · "
      << core::formatNumber(gis::toHectares(s.areaM2), 4)
      << " ha (CGCS2000 椭球面积)</td></tr></table>\n";
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
         "width=\"30%\">审查规则 Rule</th><th width=\"17%\">类型</th><th "
         "width=\"13%\">结论</th><th>量测 Measure</th></tr>\n";
    for (const auto& r : s.rules) {
        h << "<tr><td>" << esc(r.title) << "</td><td>"
          << esc(r.kindLabel.empty() ? r.kind : r.kindLabel) << " · "
          << (r.severity == core::Severity::Error ? "强制" : "提示") << "</td>" << verdictCell(r)
          << "<td>" << esc(r.checked() ? core::describeMeasure(r) : r.notChecked) << "</td></tr>\n";
    }
    h << "</table>\n";
    // Breakdowns (m² per class) get a table of their own, whatever rule made them.
    for (const auto& r : s.rules) {
        for (const auto& m : r.measures) {
            if (m.unit != core::Unit::Breakdown || m.breakdown.empty()) continue;
            h << "<h3>" << esc(r.title) << " — " << esc(m.label)
              << "</h3>\n<table><tr><th></th><th class=\"n\">m²</th>"
              << "<th class=\"n\">亩</th><th class=\"n\">ha</th></tr>\n";
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
    // Audit appendix.
    h << "<section id=\"audit\">\n<h2 style=\"page-break-before: always\">附录: 审查依据与过程 "
         "Audit trail</h2>\n<h3>输入文件 Inputs (SHA-256)</h3>\n<table>";
    auto inputs = report.inputs;
    if (!report.sitesPath.empty()) {
        try {
            inputs[report.sitesPath] = gis::sha256File(report.sitesPath);
        } catch (const std::exception&) {
            inputs[report.sitesPath] = "(not a file)";
        }
    }
    for (const auto& [path, hash] : inputs)
        h << "<tr><td>" << esc(path) << "</td><td><code>" << esc(hash) << "</code></td></tr>\n";
    if (!report.asOf.empty()) {
        h << "</table>\n<h3>图层版本 Layer versions, as of " << esc(report.asOf)
          << "</h3>\n<table><tr><th>图层 layer</th><th>施行 from</th><th>批准文件 "
             "document</th></tr>\n";
        for (const auto& v : report.versions)
            h << "<tr><td>" << esc(v.layer) << "</td><td>" << esc(v.from) << "</td><td>"
              << esc(v.doc) << "</td></tr>\n";
    }
    h << "</table>\n<h3>规则参数 Rule "
         "parameters</h3>\n<table><tr><th>规则</th><th>kind</th><th>severity</th><th>参数</th></"
         "tr>\n";
    for (const auto& r : map.plan().rules) {
        std::string params;
        for (const auto& [k, v] : r.params)
            params += (params.empty() ? "" : "; ") + k + " = " + paramText(v);
        h << "<tr><td>" << esc(r.id + " " + r.title) << "</td><td>" << esc(r.kind) << "</td><td>"
          << core::toString(r.severity) << "</td><td>" << esc(params) << "</td></tr>\n";
    }
    h << "</table>\n<h3>软件版本 Software</h3>\n<table><tr><td>onemap</td><td>"
      << esc(options.version) << "</td></tr>"
      << "<tr><td>GDAL</td><td>" << esc(gis::gdalVersion()) << "</td></tr><tr><td>GEOS</td><td>"
      << esc(gis::geosVersion()) << "</td></tr><tr><td>PROJ</td><td>" << esc(gis::projVersion())
      << "</td></tr><tr><td>Qt</td><td>" << qVersion()
      << "</td></tr></table>\n<h3>警告 Warnings</h3>\n";
    std::size_t warnings = report.warnings.size();
    for (const auto& s : report.sites) warnings += s.warnings.size();
    h << "<p>" << warnings << " warning(s).</p>\n<ul>\n";
    std::size_t shown = 0;
    for (const auto& w : report.warnings)
        if (++shown <= 300) h << "<li>" << esc(w) << "</li>\n";
    for (const auto& s : report.sites)
        for (const auto& w : s.warnings) h << "<li>" << esc(s.id + ": " + w) << "</li>\n";
    if (shown > 300) h << "<li>… " << (shown - 300) << " more in the JSON report</li>\n";
    h << "</ul>\n<h3>规划文件 Plan file: " << esc(map.plan().path) << "</h3>\n<pre>"
      << esc(map.plan().text) << "</pre>\n";
    h << "<p class=\"muted\">面积为 CGCS2000 (GRS80) 椭球面积; 1 亩 = 10000/15 m²; 距离为椭球面"
         "测地线距离 (规则注明 planar 者为 "
      << esc(map.plan().crs.label())
      << " 平面距离); 重叠面积小于 0.01 m² 视为零。</p>\n</section>\n";
}

}  // namespace onemap::report

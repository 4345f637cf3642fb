// The site-search report (项目选址推荐报告): the brief, free land after each constraint and per
// city, an overview of free land and the candidates, then one page per candidate with its
// score terms and its full check, and the audit appendix of the check report.
#include <QDate>

#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/render/style.hpp"
#include "report_html.hpp"

namespace onemap::report {
namespace {

std::string areaCells(double m2) {
    return "<td class=\"n\">" + core::formatNumber(m2, 2) + "</td><td class=\"n\">" +
           core::formatNumber(gis::toMu(m2), 2) + "</td><td class=\"n\">" +
           core::formatNumber(gis::toHectares(m2), 4) + "</td>";
}

// The candidates' checks as one report: drawn by verdict, listed, audited like sites.
core::Report candidatesReport(const core::FindResult& r, const core::OneMap& map) {
    core::Report report;
    report.planName = r.planName;
    report.lang = r.lang;
    report.crs = r.crs;
    report.inputs = map.inputs();
    report.warnings = map.warnings();
    report.asOf = r.asOf;
    report.versions = r.versions;
    for (const auto& c : r.candidates) report.sites.push_back(c.check);
    return report;
}

std::string termsTable(const core::Candidate& c) {
    std::string missed;
    for (const auto& w : c.warningsMissed) missed += (missed.empty() ? "" : ", ") + w;
    std::string h = "<h3>评分 Score " + core::formatNumber(c.score, 3) +
                    (c.pareto ? " · Pareto 最优" : "") +
                    (missed.empty() ? "" : " · 未满足提示性规则 warnings missed: " + esc(missed)) +
                    "</h3>\n<table><tr><th>指标 term</th><th class=\"n\">值 value (0–1)</th>"
                    "<th class=\"n\">权重 weight</th><th>依据 from</th></tr>\n";
    for (const auto& t : c.terms)
        h += "<tr><td>" + esc(t.name) + "</td><td class=\"n\">" + core::formatNumber(t.value, 3) +
             "</td><td class=\"n\">" + core::formatNumber(t.weight, 2) + "</td><td>" +
             esc(t.detail) + "</td></tr>\n";
    return h + "</table>\n";
}

}  // namespace

std::string buildFindHtml(const core::FindResult& r, std::shared_ptr<const core::OneMap> shared,
                          const DocumentOptions& options, const ImageSink& sink, bool forPrint) {
    const core::OneMap& map = *shared;
    const std::string date = options.date.empty()
                                 ? QDate::currentDate().toString(Qt::ISODate).toStdString()
                                 : options.date;
    const core::Report report = candidatesReport(r, map);
    const render::MapRenderer renderer(std::move(shared));
    const std::vector<render::MapOverlay> freeLand = {
        {r.freeLand.geometry, render::freeLandColour(),
         render::legendPhrase(render::LegendPhrase::FreeLand)}};
    const std::string title = r.brief.name.empty() ? "拟建项目" : r.brief.name;
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
         "charset=\"utf-8\">\n<title>项目选址推荐报告 — "
      << esc(title) << "</title>\n<style>" << kDocumentCss << "</style></head>\n<body>\n";

    // Cover: the brief and the answer.
    h << "<div class=\"cover\">\n<p class=\"muted\">项目落地选址 · Where can this project "
         "go?</p>\n<h1>项目选址推荐报告</h1>\n<p><b>"
      << esc(title) << "</b> · " << esc(r.planName) << "</p>\n";
    std::string cities, attributes;
    for (const auto& c : r.brief.cities) cities += (cities.empty() ? "" : ", ") + c;
    for (const auto& [k, v] : r.brief.attributes)
        attributes += (attributes.empty() ? "" : "; ") + k + " = " + gis::toString(v);
    h << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\">"
      << "<tr><th width=\"25%\">报告日期 Date</th><td>" << esc(date) << "</td></tr>"
      << "<tr><th>软件 Software</th><td>onemap " << esc(options.version) << "</td></tr>"
      << "<tr><th>用地规模 Area</th><td>" << esc(core::describeArea(r.brief.areaM2))
      << "</td></tr><tr><th>产业 Industry</th><td>"
      << esc(r.brief.industry.empty() ? "—" : r.brief.industry) << "</td></tr>"
      << "<tr><th>城市 Cities</th><td>" << esc(cities.empty() ? "全部 all" : cities)
      << "</td></tr><tr><th>形状 Shape</th><td>长宽比 ≤ "
      << core::formatNumber(r.brief.maxAspect, 2) << ", 最小宽度 "
      << core::formatNumber(r.brief.minWidthM, 0) << " m</td></tr>"
      << "<tr><th>项目指标 Attributes</th><td>" << esc(attributes.empty() ? "—" : attributes)
      << "</td></tr><tr><th>结果 Result</th><td>" << r.candidates.size() << " / " << r.brief.count
      << " 个候选地块 candidates</td></tr></table>\n";
    if (!r.binding.empty()) h << "<p><b>约束 Binding:</b> " << esc(r.binding) << "</p>\n";
    if (!r.relaxation.empty())
        h << "<p><b>放宽 Nearest relaxation:</b> " << esc(r.relaxation) << "</p>\n";
    render::RenderOptions overview;
    overview.size = QSize(1400, 990);
    overview.report = &report;
    overview.overlays = freeLand;
    overview.title = title + " — 可用地与候选地块";
    h << "<p><img alt=\"overview\" src=\"" << sink("overview", renderer.renderImage(overview))
      << "\"" << (forPrint ? " width=\"560\"" : "") << "></p>\n";

    h << "<h3>可用地 Free land</h3>\n<table><tr><th>约束 after</th><th class=\"n\">m²</th>"
         "<th class=\"n\">亩</th><th class=\"n\">ha</th></tr>\n";
    for (const auto& s : r.freeLand.steps)
        h << "<tr><td>" << esc(s.constraint + " " + s.title) << "</td>" << areaCells(s.areaM2)
          << "</tr>\n";
    h << "<tr><th>合计 Total</th>" << areaCells(r.freeLand.areaM2) << "</tr>\n";
    for (const auto& c : r.freeLand.perCity)
        h << "<tr><td>　" << esc(c.name) << "</td>" << areaCells(c.areaM2) << "</tr>\n";
    h << "<tr><td>最大连片 Largest piece</td>" << areaCells(r.freeLand.largestPieceM2)
      << "</tr></table>\n";

    h << "<h3>候选地块 Candidates</h3>\n<table><tr><th>排名</th><th>编号</th><th "
         "class=\"n\">评分</th><th>Pareto</th><th class=\"n\">面积 (亩)</th><th>城市</th>"
         "<th>园区 Park</th><th class=\"n\">距车站 (m)</th><th>结论</th></tr>\n";
    for (const auto& c : r.candidates)
        h << "<tr><td>" << c.rank << "</td><td>" << esc(c.id) << "</td><td class=\"n\">"
          << core::formatNumber(c.score, 3) << "</td><td>" << (c.pareto ? "是" : "")
          << "</td><td class=\"n\">" << core::formatNumber(gis::toMu(c.areaM2), 2) << "</td><td>"
          << esc(c.admin) << "</td><td>" << esc(c.park.empty() ? "—" : c.park)
          << "</td><td class=\"n\">" << (c.nearestM ? core::formatNumber(*c.nearestM, 0) : "—")
          << "</td>" << verdictCell(c.check, report.lang) << "</tr>\n";
    h << "</table>\n";
    for (const auto& n : r.notes) h << "<p class=\"muted\">注 Note: " << esc(n) << "</p>\n";
    h << "</div>\n";

    for (std::size_t i = 0; i < r.candidates.size(); ++i)
        writeSiteSection(h, report, report.sites[i], renderer, sink, forPrint,
                         termsTable(r.candidates[i]), freeLand);
    writeAuditAppendix(h, report, map, options);
    h << "</body></html>\n";
    return h.str();
}

}  // namespace onemap::report

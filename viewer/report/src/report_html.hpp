#pragma once
// One HTML builder serves both documents: the browser file embeds images as data: URIs,
// the PDF (QTextDocument) names them as resources.
#include <QImage>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/render/map_renderer.hpp"
#include "onemap/report/report_document.hpp"

namespace onemap::report {

/// Turns an image into the src="" of an <img>.
using ImageSink = std::function<std::string(const std::string& name, const QImage& image)>;

/// The check report: a cover with the overview, a section per site, the audit appendix.
std::string buildHtml(const core::Report& report, const core::OneMap& map,
                      std::shared_ptr<const core::OneMap> shared, const DocumentOptions& options,
                      const ImageSink& sink, bool forPrint);
/// The find report: the brief, free land and candidates, a section per candidate, the audit.
std::string buildFindHtml(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                          const DocumentOptions& options, const ImageSink& sink, bool forPrint);

// Parts both documents share.
extern const char* const kDocumentCss;
std::string esc(const std::string& s);
/// A coloured <td>, in `lang`: a site's verdict (部分审查 when partial), a rule's (未审查 when
/// not checked), or any verdict in words of the caller's.
std::string verdictCell(const core::SiteReport& s, core::Lang lang);
std::string verdictCell(const core::RuleResult& r, core::Lang lang);
std::string verdictCell(core::Verdict v, const std::string& text);
const char* htmlLang(core::Lang lang);  ///< <html lang="…">
/// The cover's account of what the check covered: the plan's date and each layer's version,
/// layers with no version that day, the rules not applied or not checked and why.
void writeCoverage(std::ostringstream& h, const core::Report& report);
/// One site's page: verdict, cities, area, its map (with `overlays`), the rule table,
/// breakdowns, then `extraHtml`.
void writeSiteSection(std::ostringstream& h, const core::Report& report, const core::SiteReport& s,
                      const render::MapRenderer& renderer, const ImageSink& sink, bool forPrint,
                      const std::string& extraHtml = "",
                      const std::vector<render::MapOverlay>& overlays = {});
/// Inputs and their hashes, layer versions, rule parameters, software, warnings, the plan.
void writeAuditAppendix(std::ostringstream& h, const core::Report& report, const core::OneMap& map,
                        const DocumentOptions& options);

}  // namespace onemap::report

#pragma once
// The site-selection compliance report (选址合规性审查报告) a planner files: a cover with an
// overview map, one section per site with its rule table and map, and an audit appendix.
// HTML (one self-contained file) and PDF (A4, real text with an embedded CJK font).
#include <memory>
#include <string>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/core/find/site_finder.hpp"

namespace onemap::report {

struct DocumentOptions {
    std::string date;     ///< the one date line; "" = today (YYYY-MM-DD)
    std::string version;  ///< onemap's version
};

/// Makes Qt's application object (offscreen) on the calling thread, which should be the
/// program's main thread: a server calls it at start, then paints documents from its workers
/// one at a time. The document functions call it themselves when nobody has.
void prepareDocuments();

/// Self-contained HTML: images embedded as data: URIs. Same inputs and date → same bytes.
std::string htmlReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                       const DocumentOptions& options);
/// A4 PDF bytes.
std::string pdfReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                      const DocumentOptions& options);

/// The site-search report (项目选址推荐报告) of `onemap find`: the brief, free land, the
/// candidates on a map and one page per candidate with its score terms and check.
std::string findHtmlReport(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                           const DocumentOptions& options);
std::string findPdfReport(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                          const DocumentOptions& options);

}  // namespace onemap::report

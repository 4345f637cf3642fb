#include "report_formats.hpp"

#include "onemap/report/report_document.hpp"

namespace onemap::cli {

std::string reportDocument(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                           const DocumentOptions& options) {
    const report::DocumentOptions o{options.date, options.version};
    return options.format == "pdf" ? report::pdfReport(report, std::move(map), o)
                                   : report::htmlReport(report, std::move(map), o);
}

std::string findDocument(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                         const DocumentOptions& options) {
    const report::DocumentOptions o{options.date, options.version};
    return options.format == "pdf" ? report::findPdfReport(result, std::move(map), o)
                                   : report::findHtmlReport(result, std::move(map), o);
}

}  // namespace onemap::cli

#pragma once
// Report documents (HTML, PDF) for `onemap check|find --format html|pdf`. Only in builds with the
// Qt report library (ONEMAP_WITH_REPORT).
#include <memory>
#include <string>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/core/find/site_finder.hpp"

namespace onemap::cli {

struct DocumentOptions {
    std::string format;  ///< "html" or "pdf"
    std::string date;    ///< the one date line; "" = today
    std::string version;
};

/// The whole document as bytes, ready to be written atomically.
std::string reportDocument(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                           const DocumentOptions& options);

/// The site-search report of `onemap find`, as bytes.
std::string findDocument(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                         const DocumentOptions& options);

}  // namespace onemap::cli

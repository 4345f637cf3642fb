#pragma once
// One HTML builder serves both documents: the browser file embeds images as data: URIs,
// the PDF (QTextDocument) names them as resources.
#include <QImage>
#include <functional>
#include <memory>
#include <string>

#include "onemap/core/one_map.hpp"
#include "onemap/core/report.hpp"
#include "onemap/report/report_document.hpp"

namespace onemap::report {

/// Turns an image into the src="" of an <img>.
using ImageSink = std::function<std::string(const std::string& name, const QImage& image)>;

std::string buildHtml(const core::Report& report, const core::OneMap& map,
                      std::shared_ptr<const core::OneMap> shared, const DocumentOptions& options,
                      const ImageSink& sink, bool forPrint);

}  // namespace onemap::report

#include "onemap/report/report_document.hpp"

#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

#include "onemap/render/cjk_font.hpp"
#include "report_html.hpp"

namespace onemap::report {
namespace {

QByteArray pngBytes(const QImage& image) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

std::string dataUri(const std::string&, const QImage& image) {
    return "data:image/png;base64," + pngBytes(image).toBase64().toStdString();
}

// A4 PDF of an HTML document, its images as the document's resources; real text in the
// embedded CJK font.
std::string pdfFrom(const std::function<std::string(const ImageSink&)>& html, const char* title,
                    const std::string& version) {
    render::ensureGuiApplication();
    QTextDocument doc;
    doc.setDefaultFont(render::cjkFont(11));
    const auto sink = [&doc](const std::string& name, const QImage& image) {
        doc.addResource(QTextDocument::ImageResource, QUrl(QString::fromStdString(name + ".png")),
                        image);
        return name + ".png";
    };
    doc.setHtml(QString::fromStdString(html(sink)));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        pdf.setResolution(96);
        pdf.setCreator(QString::fromStdString("onemap " + version));
        pdf.setTitle(QString::fromUtf8(title));
        doc.print(&pdf);  // paginates, honours page-break-before, numbers the pages
    }
    return bytes.toStdString();
}

}  // namespace

std::string htmlReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                       const DocumentOptions& options) {
    return buildHtml(report, *map, map, options, dataUri, false);
}

void prepareDocuments() { render::ensureGuiApplication(); }

std::string pdfReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                      const DocumentOptions& options) {
    return pdfFrom(
        [&](const ImageSink& sink) { return buildHtml(report, *map, map, options, sink, true); },
        "选址合规性审查报告", options.version);
}

std::string findHtmlReport(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                           const DocumentOptions& options) {
    return buildFindHtml(result, std::move(map), options, dataUri, false);
}

std::string findPdfReport(const core::FindResult& result, std::shared_ptr<const core::OneMap> map,
                          const DocumentOptions& options) {
    return pdfFrom(
        [&](const ImageSink& sink) { return buildFindHtml(result, map, options, sink, true); },
        "项目选址推荐报告", options.version);
}

}  // namespace onemap::report

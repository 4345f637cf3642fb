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

}  // namespace

std::string htmlReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                       const DocumentOptions& options) {
    const auto sink = [](const std::string&, const QImage& image) {
        return "data:image/png;base64," + pngBytes(image).toBase64().toStdString();
    };
    return buildHtml(report, *map, map, options, sink, false);
}

std::string pdfReport(const core::Report& report, std::shared_ptr<const core::OneMap> map,
                      const DocumentOptions& options) {
    render::ensureGuiApplication();
    QTextDocument doc;
    doc.setDefaultFont(render::cjkFont(11));
    const auto sink = [&doc](const std::string& name, const QImage& image) {
        doc.addResource(QTextDocument::ImageResource, QUrl(QString::fromStdString(name + ".png")),
                        image);
        return name + ".png";
    };
    doc.setHtml(QString::fromStdString(buildHtml(report, *map, map, options, sink, true)));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        pdf.setResolution(96);
        pdf.setCreator(QString::fromStdString("onemap " + options.version));
        pdf.setTitle(QStringLiteral("选址合规性审查报告"));
        doc.print(&pdf);  // paginates, honours page-break-before, numbers the pages
    }
    return bytes.toStdString();
}

}  // namespace onemap::report

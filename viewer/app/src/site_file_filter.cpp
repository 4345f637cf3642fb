#include "site_file_filter.hpp"

#include <QStringList>

#include "onemap/gis/formats/site_format_registry.hpp"

namespace onemap::viewer {

QString sitesFileFilter() {
    // What OGR reads as sites (the formats `check` documents), then each site format's own.
    QStringList all = {QStringLiteral("*.gpkg"),    QStringLiteral("*.shp"),
                       QStringLiteral("*.geojson"), QStringLiteral("*.json"),
                       QStringLiteral("*.fgb"),     QStringLiteral("*.zip")};
    QStringList each = {QStringLiteral("GIS (") + all.join(' ') + ')'};
    for (const auto* format : gis::SiteFormatRegistry::instance().formats()) {
        QStringList mine;
        for (const auto& ext : format->extensions()) {
            const QString pattern = '*' + QString::fromStdString(ext);
            mine << pattern;
            if (!all.contains(pattern)) all << pattern;
        }
        each << QString::fromUtf8(format->description().data(),
                                  static_cast<qsizetype>(format->description().size())) +
                    " (" + mine.join(' ') + ')';
    }
    return QStringLiteral("选址文件 Sites (") + all.join(' ') + QStringLiteral(");;") +
           each.join(QStringLiteral(";;")) + QStringLiteral(";;All (*)");
}

}  // namespace onemap::viewer
